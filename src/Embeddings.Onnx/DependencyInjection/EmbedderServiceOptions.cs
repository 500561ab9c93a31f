namespace Embeddings.Onnx;

/// <summary>
/// What <c>services.AddEmbedder(...)</c> and <c>services.AddEmbeddingGenerator(...)</c> register: the model and how
/// it is run. Bound through the options pattern and checked when the host starts.
/// </summary>
public sealed class EmbedderServiceOptions
{
    private OnnxEmbedderOptions _onnx = new();

    /// <summary>A model folder (sentence-transformers layout with an ONNX export) or a Hugging Face model id
    /// (<c>org/name</c>, downloaded into the Hugging Face cache on first use). Required.</summary>
    public string? Model { get; set; }

    /// <summary>Batching, the micro-batching queue, the ONNX file choice, the runtime and Hugging Face download settings.</summary>
    public OnnxEmbedderOptions Onnx
    {
        get => _onnx;
        set => _onnx = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Per-call options the registered embedding generator applies to every request (a prompt name,
    /// normalization, dimensions); null follows the model folder.</summary>
    public EmbedOptions? GenerationDefaults { get; set; }
}
