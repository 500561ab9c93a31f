using System.Runtime.InteropServices;
using Embeddings.Server.Http;

namespace Embeddings.Server.Routes;

/// <summary>
/// OpenAI's embeddings API (POST /v1/embeddings, also at /embeddings as in TEI): <c>input</c> as a string or an array
/// of strings, <c>dimensions</c> (Matryoshka truncation) and <c>encoding_format</c> float or base64. Vectors are
/// L2-normalized, as OpenAI's are.
/// </summary>
internal static class OpenAiRoutes
{
    private sealed record EmbeddingItem(string Object, object Embedding, int Index);

    private sealed record Usage(long PromptTokens, long TotalTokens);

    private sealed record EmbeddingList(string Object, EmbeddingItem[] Data, string Model, Usage Usage);

    /// <summary>Maps the routes; failures are answered in OpenAI's error shape.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        var openAi = app.MapGroup("").AddEndpointFilter(ErrorResponses.OpenAi);
        openAi.MapPost("/v1/embeddings", Embeddings);
        openAi.MapPost("/embeddings", Embeddings);
    }

    private static async Task<IResult> Embeddings(HttpContext context, IEmbedder embedder, ServerSettings settings, ILoggerFactory loggers)
    {
        var cancellationToken = context.RequestAborted;
        using var body = await JsonBody.ReadAsync(context.Request, cancellationToken);
        var texts = RequestInputs.Texts(body.Required("input"), "input", settings.MaxClientBatchSize);
        bool base64 = body.String("encoding_format") switch
        {
            null or "float" => false,
            "base64" => true,
            _ => throw ApiException.Validation("`encoding_format` must be \"float\" or \"base64\"."),
        };
        string served = settings.ServedModelName ?? embedder.Info.ModelId;
        if (body.String("model") is { } requested && requested != served)
            ServerLog.UnknownModelRequested(loggers.CreateLogger("Embeddings.Server"), requested, served);

        var options = new EmbedOptions
        {
            Normalize = true,
            Dimensions = TeiEmbedRequest.Dimensions(body, embedder.Info),
            Truncation = settings.AutoTruncate ? OverlongInputPolicy.Truncate : OverlongInputPolicy.Error,
        };
        var result = await embedder.EmbedAsync(texts, options, cancellationToken);
        var data = new EmbeddingItem[result.Count];
        for (int i = 0; i < data.Length; i++)
            data[i] = new EmbeddingItem("embedding", base64 ? Base64(result[i].Span) : result[i].ToArray(), i);
        return Results.Json(new EmbeddingList("list", data, served, new Usage(result.TotalTokens, result.TotalTokens)));
    }

    // OpenAI's base64 format: the float32 values' little-endian bytes.
    private static string Base64(ReadOnlySpan<float> vector)
    {
        if (BitConverter.IsLittleEndian) return Convert.ToBase64String(MemoryMarshal.AsBytes(vector));
        var bytes = new byte[vector.Length * sizeof(float)];
        for (int i = 0; i < vector.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        return Convert.ToBase64String(bytes);
    }
}
