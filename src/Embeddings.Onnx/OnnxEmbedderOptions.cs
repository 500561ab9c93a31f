using Embeddings.Hub;
using Embeddings.Models;
using Embeddings.Tokenization;

namespace Embeddings.Onnx;

/// <summary>Everything that decides how an ONNX-backed embedder is built: the embedder, the model folder and the runtime.</summary>
public sealed class OnnxEmbedderOptions
{
    /// <summary>Batching and naming.</summary>
    public EmbedderOptions Embedder { get; set; } = new();

    /// <summary>Which ONNX file of the folder to run (variant or explicit file) and whether it is dynamically quantized.</summary>
    public OnnxModelFileOptions ModelFile { get; set; } = new();

    /// <summary>How the model folder's configuration is read.</summary>
    public ModelFolderOptions Folder { get; set; } = new();

    /// <summary>The ONNX Runtime session: threads, optimization, arena, execution provider, native library path.</summary>
    public OnnxRuntimeOptions Runtime { get; set; } = new();

    /// <summary>Where and how Hugging Face model ids are downloaded (endpoint, token, cache, offline mode);
    /// the defaults come from HF_ENDPOINT, HF_HOME, HF_HUB_CACHE, HF_TOKEN and HF_HUB_OFFLINE.</summary>
    public HubOptions Hub { get; set; } = new();

    /// <summary>The branch, tag or commit of a Hugging Face model id. Default <c>main</c>.</summary>
    public string Revision { get; set; } = "main";

    /// <summary>Receives per-file progress while a model id is downloaded.</summary>
    public IProgress<HubDownloadProgress>? DownloadProgress { get; set; }

    /// <summary>
    /// The tokenizer to use instead of the folder's, for model folders that have no tokenizer.json (for example one
    /// built around a Microsoft.ML.Tokenizers tokenizer by the Embeddings.Tokenizers package). Null (the default):
    /// the folder's tokenizer.json, or an old BERT folder's vocab.txt. Ignored for static embedding folders.
    /// </summary>
    public Tokenizer? Tokenizer { get; set; }

    /// <summary>A deep copy of these options (the <see cref="Tokenizer"/>, immutable, is shared).</summary>
    public OnnxEmbedderOptions Clone() => new()
    {
        Embedder = Embedder.Clone(),
        ModelFile = ModelFile.Clone(),
        Folder = Folder.Clone(),
        Runtime = Runtime.Clone(),
        Hub = Hub.Clone(),
        Revision = Revision,
        DownloadProgress = DownloadProgress,
        Tokenizer = Tokenizer,
    };
}
