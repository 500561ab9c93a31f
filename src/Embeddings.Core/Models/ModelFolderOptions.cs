namespace Embeddings.Models;

/// <summary>Choices made when opening a model folder.</summary>
public sealed class ModelFolderOptions
{
    /// <summary>Which ONNX file to run when <see cref="OnnxFile"/> is not set. Default: <see cref="OnnxModelVariant.Default"/>.</summary>
    public OnnxModelVariant Variant { get; set; } = OnnxModelVariant.Default;

    /// <summary>An explicit ONNX file, relative to the model folder (e.g. <c>onnx/model_qint8_arm64.onnx</c>).</summary>
    public string? OnnxFile { get; set; }

    /// <summary>
    /// Declares whether the ONNX file is dynamically quantized (activation scales computed per batch). Null
    /// decides from the file name. Such models give results that depend slightly on batch composition.
    /// </summary>
    public bool? DynamicallyQuantized { get; set; }

    /// <summary>
    /// The tokenizer comes from the caller (for example <c>OnnxEmbedderOptions.Tokenizer</c>), so a folder with neither
    /// tokenizer.json nor vocab.txt opens. Default false: such a folder is refused.
    /// </summary>
    public bool TokenizerSupplied { get; set; }

    /// <summary>A copy of these options.</summary>
    public ModelFolderOptions Clone() => (ModelFolderOptions)MemberwiseClone();
}
