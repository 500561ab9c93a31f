namespace Embeddings.Onnx;

/// <summary>Which ONNX file of a model folder to run, and how to treat it.</summary>
public sealed class OnnxModelFileOptions
{
    /// <summary>Which ONNX file to run when <see cref="File"/> is not set. Default: <see cref="OnnxModelVariant.Default"/>.</summary>
    public OnnxModelVariant Variant { get; set; } = OnnxModelVariant.Default;

    /// <summary>An explicit ONNX file, relative to the model folder (e.g. <c>onnx/model_qint8_arm64.onnx</c>).</summary>
    public string? File { get; set; }

    /// <summary>
    /// Declares whether the ONNX file is dynamically quantized (activation scales computed per batch). Null decides
    /// from the file name, else from the quantization operators in the graph. Such models give results that depend
    /// slightly on batch composition (<see cref="Inference.ModelSignature.BatchDependent"/>).
    /// </summary>
    public bool? DynamicallyQuantized { get; set; }

    /// <summary>A copy of these options.</summary>
    public OnnxModelFileOptions Clone() => (OnnxModelFileOptions)MemberwiseClone();
}
