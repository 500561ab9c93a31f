using Embeddings.Hub;
using Embeddings.Models;
using Embeddings.Static;
using Embeddings.Tokenization;

namespace Embeddings.Onnx;

/// <summary>Creates embedders that run a model folder's ONNX file with ONNX Runtime.</summary>
/// <example>
/// <code>
/// using var embedder = OnnxEmbedder.Create("models/all-MiniLM-L6-v2");
/// var vectors = embedder.Embed(["first text", "second text"]);
/// </code>
/// </example>
public static class OnnxEmbedder
{
    /// <summary>The model used when none is named: a small, popular sentence-transformers model that ships an ONNX export.</summary>
    public const string DefaultModelId = "sentence-transformers/all-MiniLM-L6-v2";

    /// <summary>
    /// Loads a model folder, or a Hugging Face model id (<c>org/name</c>) downloaded into the standard Hugging Face
    /// cache (shared with Python) — only the files the model needs.
    /// </summary>
    /// <param name="model">A folder path, or a model id when no such folder exists.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <param name="cancellationToken">Stops a download (partial files resume next time).</param>
    /// <exception cref="HubException">The model could not be fetched (the subclass says why and what to do).</exception>
    /// <exception cref="ModelConfigurationException">The folder is missing something or is malformed.</exception>
    /// <exception cref="OnnxRuntimeNotFoundException">The ONNX Runtime native library cannot be found.</exception>
    /// <exception cref="ExecutionProviderUnavailableException">CUDA was asked for and cannot be used (and falling back to the CPU was not allowed).</exception>
    public static Task<Embedder> CreateAsync(string model, OnnxEmbedderOptions? options = null, CancellationToken cancellationToken = default) =>
        CreateAsync(model, options, loaded: null, cancellationToken);

    /// <summary><see cref="CreateAsync(string, OnnxEmbedderOptions?, CancellationToken)"/>, telling <paramref name="loaded"/> which backend it created.</summary>
    internal static async Task<Embedder> CreateAsync(string model, OnnxEmbedderOptions? options, Action<OnnxInferenceBackend>? loaded, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        options = options?.Clone() ?? new OnnxEmbedderOptions();
        string directory = model;
        if (HubModelDownloader.IsHubId(model))
        {
            using var client = new HubClient(options.Hub);
            directory = await HubModelDownloader.DownloadAsync(client, model, OnnxModelFile.DownloadCandidates(options.ModelFile), options.Revision, options.DownloadProgress, cancellationToken)
                .ConfigureAwait(false);
            options.Embedder.ModelId ??= model;
        }
        return await Task.Run(() => Create(directory, options, loaded), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Loads a model folder (sentence-transformers layout with an ONNX export). A static embedding folder
    /// (sentence-transformers StaticEmbedding, Model2Vec) loads too, without ONNX Runtime.
    /// </summary>
    /// <param name="modelDirectory">The folder.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ModelConfigurationException">The folder is missing something or is malformed.</exception>
    /// <exception cref="TokenizerFormatException">The tokenizer file is malformed.</exception>
    /// <exception cref="OnnxRuntimeNotFoundException">The ONNX Runtime native library cannot be found.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime refused the model.</exception>
    /// <exception cref="ExecutionProviderUnavailableException">CUDA was asked for and cannot be used (and falling back to the CPU was not allowed).</exception>
    public static Embedder Create(string modelDirectory, OnnxEmbedderOptions? options = null) => Create(modelDirectory, options, loaded: null);

    /// <summary><see cref="Create(string, OnnxEmbedderOptions?)"/>, telling <paramref name="loaded"/> which backend it created.</summary>
    internal static Embedder Create(string modelDirectory, OnnxEmbedderOptions? options, Action<OnnxInferenceBackend>? loaded)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        options = options?.Clone() ?? new OnnxEmbedderOptions();
        if (StaticEmbeddingModel.IsStaticFolder(modelDirectory))
            return Embedder.CreateStatic(StaticEmbeddingModel.Load(modelDirectory), options.Embedder);
        if (options.Tokenizer is not null) options.Folder.TokenizerSupplied = true;
        var folder = ModelFolder.Open(modelDirectory, options.Folder);
        var tokenizer = options.Tokenizer ?? LoadTokenizer(folder);
        var backend = OnnxModelFile.Load(folder, options.ModelFile, options.Runtime);
        try
        {
            var embedder = Embedder.Create(folder, tokenizer, backend, options.Embedder);
            loaded?.Invoke(backend);
            return embedder;
        }
        catch
        {
            backend.Dispose();
            throw;
        }
    }

    /// <summary>The folder's tokenizer: tokenizer.json, or an old BERT folder's vocab.txt.</summary>
    /// <param name="folder">The model folder.</param>
    public static Tokenizer LoadTokenizer(ModelFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (folder.TokenizerJsonPath is { } json) return Tokenizer.FromFile(json);
        if (folder.VocabularyPath is { } vocab) return Tokenizer.FromBertVocab(vocab, folder.TokenizerSettings.DoLowerCase ?? true);
        throw new ModelConfigurationException("The model folder has no tokenizer.json or vocab.txt.", folder.Directory);
    }
}
