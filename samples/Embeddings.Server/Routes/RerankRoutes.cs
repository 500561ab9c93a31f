using System.Text.Json;
using System.Text.Json.Serialization;
using Embeddings.Models;
using Embeddings.Onnx;
using Embeddings.Server.Http;

namespace Embeddings.Server.Routes;

/// <summary>
/// TEI's <c>/rerank</c>: <c>{query, texts, raw_scores, return_text, truncate, truncation_direction}</c> →
/// <c>[{index, score, text?}]</c>, best first. Served when the model is a cross-encoder (a sequence-classification
/// export with one label); other models answer 424, as TEI does for a route the model cannot serve.
/// </summary>
internal static class RerankRoutes
{
    private sealed record Rank(int Index, float Score, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text);

    /// <summary>Registers the served model's reranker, loaded on the first /rerank request with the server's settings.</summary>
    public static void AddServices(IServiceCollection services) => services.AddSingleton<ServedReranker>();

    /// <summary>Maps the route; failures are answered in TEI's error shape.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGroup("").AddEndpointFilter(ErrorResponses.Tei).MapPost("/rerank", Rerank);

    private static async Task<IResult> Rerank(HttpContext context, ServedReranker served, ServerSettings settings)
    {
        var cancellationToken = context.RequestAborted;
        using var body = await JsonBody.ReadAsync(context.Request, cancellationToken);
        var query = body.Required("query");
        if (query.ValueKind != JsonValueKind.String) throw ApiException.Validation("`query` must be a string.");
        var texts = Texts(body.Required("texts"), settings.MaxClientBatchSize);
        var options = new RerankOptions
        {
            RawScores = body.Bool("raw_scores") ?? false,
            Truncation = body.Bool("truncate") ?? settings.AutoTruncate ? OverlongInputPolicy.Truncate : OverlongInputPolicy.Error,
            TruncationSide = body.String("truncation_direction") switch
            {
                null => null,
                "right" or "Right" => SequenceSide.Right,
                "left" or "Left" => SequenceSide.Left,
                _ => throw ApiException.Validation("`truncation_direction` must be \"left\" or \"right\"."),
            },
        };
        bool returnText = body.Bool("return_text") ?? false;
        var reranker = await served.GetAsync(cancellationToken);
        var results = await reranker.RerankAsync(query.GetString()!, texts, options, cancellationToken);
        return Results.Json(results.Select(r => new Rank(r.Index, r.Score, returnText ? texts[r.Index] : null)).ToArray());
    }

    // An empty document is a valid thing to score (it ranks low); an empty list is not a request.
    private static string[] Texts(JsonElement value, int maxClientBatchSize)
    {
        if (value.ValueKind != JsonValueKind.Array) throw ApiException.Validation("`texts` must be an array of strings.");
        var texts = new string[value.GetArrayLength()];
        int i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw ApiException.Validation($"`texts` item {i} must be a string.");
            texts[i++] = item.GetString()!;
        }
        if (texts.Length == 0) throw ApiException.Empty("`texts` cannot be empty");
        if (texts.Length > maxClientBatchSize) throw ApiException.TooManyInputs(texts.Length, maxClientBatchSize);
        return texts;
    }

    /// <summary>
    /// The served model as a reranker, loaded once on first use with the server's queue and runtime settings. A model
    /// that is not a single-label sequence classifier is remembered as such and answered 424 on every request.
    /// </summary>
    internal sealed class ServedReranker(ServerSettings settings) : IDisposable
    {
        private readonly Lazy<Task<Reranker>> _reranker = new(() => LoadAsync(settings));

        public async Task<Reranker> GetAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await _reranker.Value.WaitAsync(cancellationToken);
            }
            catch (ModelConfigurationException e)
            {
                throw new NotSupportedException($"The served model is not a reranker: {e.Message}", e);
            }
        }

        public void Dispose()
        {
            if (_reranker.IsValueCreated && _reranker.Value.IsCompletedSuccessfully) _reranker.Value.Result.Dispose();
        }

        private static Task<Reranker> LoadAsync(ServerSettings settings)
        {
            var options = new OnnxEmbedderOptions { Revision = settings.Revision };
            var queue = new EmbeddingQueueOptions();
            if (settings.MaxQueuedTokens is { } queued) queue.MaxQueuedTokens = queued;
            options.Embedder.Queue = queue;
            if (settings.MaxBatchTokens is { } tokens) options.Embedder.MaxBatchTokens = tokens;
            if (settings.Threads is { } threads) options.Runtime.IntraOpThreads = threads;
            options.Runtime.AllowSpinning = false;
            return OnnxReranker.CreateAsync(settings.Model, options);
        }
    }
}
