using Embeddings.Models;

namespace Embeddings.Onnx;

/// <summary>Everything that decides how an ONNX-backed embedder is built: the embedder, the model folder and the runtime.</summary>
public sealed class OnnxEmbedderOptions
{
    /// <summary>Batching and naming.</summary>
    public EmbedderOptions Embedder { get; set; } = new();

    /// <summary>Which ONNX file to run and how to treat it.</summary>
    public ModelFolderOptions Folder { get; set; } = new();

    /// <summary>The ONNX Runtime session: threads, optimization, arena, execution provider, native library path.</summary>
    public OnnxRuntimeOptions Runtime { get; set; } = new();

    /// <summary>A deep copy of these options.</summary>
    public OnnxEmbedderOptions Clone() => new()
    {
        Embedder = Embedder.Clone(),
        Folder = Folder.Clone(),
        Runtime = Runtime.Clone(),
    };
}
