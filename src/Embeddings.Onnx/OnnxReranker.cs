using Embeddings.Hub;
using Embeddings.Models;
using Embeddings.Tokenization;

namespace Embeddings.Onnx;

/// <summary>
/// Creates rerankers (cross-encoders) that run a model folder's ONNX sequence-classification export with ONNX Runtime.
/// </summary>
/// <example>
/// <code>
/// using var reranker = OnnxReranker.Create("models/ms-marco-MiniLM-L6-v2");
/// var ranking = reranker.Rerank("how do I reset my password?", documents, new RerankOptions { TopK = 5 });
/// </code>
/// </example>
public static class OnnxReranker
{
    /// <summary>
    /// Loads a cross-encoder folder, or a Hugging Face model id (<c>org/name</c>) downloaded into the standard Hugging
    /// Face cache — only the files the model needs.
    /// </summary>
    /// <param name="model">A folder path, or a model id when no such folder exists.</param>
    /// <param name="options">Settings (batching, queue, ONNX file, runtime, download); null for the defaults.</param>
    /// <param name="cancellationToken">Stops a download (partial files resume next time).</param>
    /// <exception cref="HubException">The model could not be fetched (the subclass says why and what to do).</exception>
    /// <exception cref="ModelConfigurationException">The folder is missing something, is malformed, or is not a single-label sequence classifier.</exception>
    /// <exception cref="OnnxRuntimeNotFoundException">The ONNX Runtime native library cannot be found.</exception>
    public static async Task<Reranker> CreateAsync(string model, OnnxEmbedderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        options = options?.Clone() ?? new OnnxEmbedderOptions();
        string directory = model;
        if (!Directory.Exists(model) && HubModelDownloader.IsHubId(model))
        {
            using var client = new HubClient(options.Hub);
            directory = await HubModelDownloader.DownloadAsync(client, model, OnnxModelFile.DownloadCandidates(options.ModelFile), options.Revision, options.DownloadProgress, cancellationToken)
                .ConfigureAwait(false);
            options.Embedder.ModelId ??= model;
        }
        return await Task.Run(() => Create(directory, options), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads a cross-encoder folder (a transformers sequence-classification model with an ONNX export).</summary>
    /// <param name="modelDirectory">The folder.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ModelConfigurationException">The folder is missing something, is malformed, or is not a single-label sequence classifier.</exception>
    /// <exception cref="TokenizerFormatException">The tokenizer file is malformed.</exception>
    /// <exception cref="OnnxRuntimeNotFoundException">The ONNX Runtime native library cannot be found.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime refused the model.</exception>
    public static Reranker Create(string modelDirectory, OnnxEmbedderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        options = options?.Clone() ?? new OnnxEmbedderOptions();
        var folder = ModelFolder.Open(modelDirectory, options.Folder);
        var tokenizer = OnnxEmbedder.LoadTokenizer(folder);
        var backend = OnnxModelFile.Load(folder, options.ModelFile, options.Runtime);
        try
        {
            return Reranker.Create(folder, tokenizer, backend, options.Embedder);
        }
        catch
        {
            backend.Dispose();
            throw;
        }
    }
}
