using Embeddings.Onnx;
using Embeddings.Pooling;
using Embeddings.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Embeddings.Server.Routes;

/// <summary>
/// GET /info: TEI's fields where they apply (model_id, model_sha, model_dtype, model_type, max_input_length,
/// max_batch_tokens, max_batch_requests, max_client_batch_size, auto_truncate, version, sha, docker_label), then what
/// a client needs to use the model as an <see cref="IEmbedder"/> remotely: dimensions, hidden and vocabulary sizes,
/// normalization, prompts, similarity and what the model offers.
/// </summary>
/// <remarks>
/// TEI's max_concurrent_requests and tokenization_workers are left out: this server sets no request limit of its own
/// (the queue's token limit answers 429 instead) and tokenizes on the request's thread.
/// </remarks>
internal static class InfoRoute
{
    private sealed record EmbeddingModelType(string Pooling);

    private sealed record Info(
        string ModelId, string? ModelSha, string ModelDtype, IReadOnlyDictionary<string, EmbeddingModelType> ModelType,
        int MaxInputLength, int MaxBatchTokens, int MaxBatchRequests, int MaxClientBatchSize, bool AutoTruncate,
        string Version, string? Sha, string? DockerLabel,
        string ServedModelName, int Dimensions, int SparseDimensions, int HiddenSize, int VocabSize, bool Normalize,
        IReadOnlyDictionary<string, string> Prompts, string? DefaultPromptName, string Similarity, string PaddingSide,
        bool SupportsDense, bool SupportsSparse, bool SupportsTokenEmbeddings, bool BatchDependent);

    /// <summary>The route handler.</summary>
    public static IResult Get(IEmbedder embedder, ServerSettings settings, IOptions<EmbedderServiceOptions> registration)
    {
        var info = embedder.Info;
        var batching = registration.Value.Onnx.Embedder;
        string pooling = info.Pooling.Count == 0
            ? info.SupportsSparse ? "splade" : "none"
            : string.Join('+', info.Pooling.Select(PoolingModeNames.ToTeiName));
        int sparseDimensions = info.SupportsSparse ? info.VocabularySize : 0;
        // "dimensions" is the width of the vectors the model is for: dense ones, or a sparse-only model's vocabulary.
        int dimensions = info.Dimensions > 0 ? info.Dimensions : sparseDimensions;
        return Results.Json(new Info(
            info.ModelId, null, "float32", new Dictionary<string, EmbeddingModelType> { ["embedding"] = new(pooling) },
            info.MaxSequenceLength, batching.MaxBatchTokens, batching.MaxBatchSize, settings.MaxClientBatchSize, settings.AutoTruncate,
            ServerHelp.Version, null, null,
            settings.ServedModelName ?? info.ModelId, dimensions, sparseDimensions, info.HiddenSize, info.VocabularySize, info.Normalize,
            info.Prompts, info.DefaultPromptName, info.Similarity.ToString().ToLowerInvariant(), info.PaddingSide.ToString().ToLowerInvariant(),
            info.Dimensions > 0, info.SupportsSparse, info.SupportsTokenEmbeddings, info.BatchDependent));
    }

}
