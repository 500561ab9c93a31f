using Embeddings.Server.Http;
using Embeddings.Onnx;
using Embeddings.Tokenization;

namespace Embeddings.Server.Routes;

/// <summary>
/// The routes of Hugging Face text-embeddings-inference (TEI), with its request fields, JSON shapes and status
/// codes: /embed, /embed_all, /embed_sparse, /tokenize, /decode, /info, /health.
/// </summary>
internal static class TeiRoutes
{
    private sealed record SparseValue(int Index, float Value);

    // Token is the vocabulary string (not in TEI's answer; its clients ignore it), so a remote client reports the same tokens.
    private sealed record SimpleToken(int Id, string Text, bool Special, int? Start, int? Stop, string Token);

    private sealed record Unhealthy(string Error, string ErrorType);

    /// <summary>Maps the routes; failures are answered in TEI's error shape.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        var tei = app.MapGroup("").AddEndpointFilter(ErrorResponses.Tei);
        tei.MapPost("/embed", Embed);
        tei.MapPost("/embed_all", EmbedAll);
        tei.MapPost("/embed_sparse", EmbedSparse);
        tei.MapPost("/tokenize", Tokenize);
        tei.MapPost("/decode", Decode);
        tei.MapGet("/info", InfoRoute.Get);
        tei.MapGet("/health", Health);
    }

    private static async Task<IResult> Embed(HttpContext context, IEmbedder embedder, Embedder model, ServerSettings settings)
    {
        var cancellationToken = context.RequestAborted;
        using var body = await JsonBody.ReadAsync(context.Request, cancellationToken);
        var request = TeiEmbedRequest.Read(body, settings, model);
        TeiEmbedRequest.PromptText(embedder.Info, request.PromptName); // an unknown name is the client's mistake: 422 before any work
        var options = new EmbedOptions
        {
            Truncation = request.Truncation,
            PromptName = request.PromptName,
            Prompt = request.FromTokenIds ? "" : null, // token ids are the model's input as given
            Normalize = body.Bool("normalize") ?? true, // TEI normalizes unless told not to
            Dimensions = TeiEmbedRequest.Dimensions(body, embedder.Info),
        };
        var result = await embedder.EmbedAsync(request.Texts, options, cancellationToken);
        EmbedResponseHeaders.Write(context.Response, result);
        return Results.Json(result.Select(vector => vector.ToArray()).ToArray());
    }

    private static async Task<IResult> EmbedAll(HttpContext context, IEmbedder embedder, Embedder model, ServerSettings settings)
    {
        var cancellationToken = context.RequestAborted;
        using var body = await JsonBody.ReadAsync(context.Request, cancellationToken);
        var request = TeiEmbedRequest.Read(body, settings, model);
        var results = await embedder.EmbedTokensAsync(request.PromptedTexts(embedder.Info),
            new TokenEmbeddingOptions { Truncation = request.Truncation }, cancellationToken);
        return Results.Json(results.Select(tokens => Enumerable.Range(0, tokens.Count).Select(t => tokens[t].ToArray()).ToArray()).ToArray());
    }

    private static async Task<IResult> EmbedSparse(HttpContext context, IEmbedder embedder, Embedder model, ServerSettings settings)
    {
        var cancellationToken = context.RequestAborted;
        using var body = await JsonBody.ReadAsync(context.Request, cancellationToken);
        var request = TeiEmbedRequest.Read(body, settings, model);
        var results = await embedder.EmbedSparseAsync(request.PromptedTexts(embedder.Info),
            new SparseEmbeddingOptions { Truncation = request.Truncation }, cancellationToken);
        return Results.Json(results.Select(vector => Enumerable.Range(0, vector.Count).Select(i => new SparseValue(vector.Indices[i], vector.Values[i])).ToArray()).ToArray());
    }

    private static async Task<IResult> Tokenize(HttpContext context, Embedder model, ServerSettings settings)
    {
        using var body = await JsonBody.ReadAsync(context.Request, context.RequestAborted);
        var texts = RequestInputs.Texts(body.Required("inputs"), "inputs", settings.MaxClientBatchSize);
        var options = new EncodeOptions { AddSpecialTokens = body.Bool("add_special_tokens") ?? true };
        string prompt = TeiEmbedRequest.PromptText(model.Info, body.String("prompt_name"));
        return Results.Json(texts.Select(text => Tokens(model.Tokenizer, prompt + text, options)).ToArray());
    }

    // As TEI: offsets are UTF-8 byte offsets into the (prompted) input and the text is that slice of it;
    // special tokens have no offsets and show their token string.
    private static SimpleToken[] Tokens(Tokenizer tokenizer, string text, EncodeOptions options)
    {
        var encoding = tokenizer.Encode(text, options);
        var bytes = new Utf8Offsets(text);
        var tokens = new SimpleToken[encoding.Length];
        for (int t = 0; t < tokens.Length; t++)
        {
            var offset = encoding.Offsets[t];
            tokens[t] = encoding.SpecialTokensMask[t] != 0
                ? new SimpleToken(encoding.Ids[t], encoding.Tokens[t], true, null, null, encoding.Tokens[t])
                : new SimpleToken(encoding.Ids[t], text[offset.Start..offset.End], false, bytes[offset.Start], bytes[offset.End], encoding.Tokens[t]);
        }
        return tokens;
    }

    private static async Task<IResult> Decode(HttpContext context, Embedder model, ServerSettings settings)
    {
        using var body = await JsonBody.ReadAsync(context.Request, context.RequestAborted);
        var lists = RequestInputs.IdLists(body.Required("ids"), "ids", settings.MaxClientBatchSize);
        RequestInputs.CheckKnownIds(lists, model.Tokenizer, "ids");
        bool skipSpecialTokens = body.Bool("skip_special_tokens") ?? true;
        return Results.Json(lists.Select(ids => model.Tokenizer.Decode(ids, skipSpecialTokens)).ToArray());
    }

    // TEI's probe: a tiny run through the model. A full queue means the model is busy, not broken.
    private static async Task<IResult> Health(HttpContext context, IEmbedder embedder, ILoggerFactory loggers)
    {
        var cancellationToken = context.RequestAborted;
        string[] probe = ["health"];
        try
        {
            var info = embedder.Info;
            if (info.Dimensions > 0) await embedder.EmbedAsync(probe, null, cancellationToken);
            else if (info.SupportsSparse) await embedder.EmbedSparseAsync(probe, null, cancellationToken);
            else await embedder.EmbedTokensAsync(probe, null, cancellationToken);
            return Results.Ok();
        }
        catch (EmbeddingQueueFullException)
        {
            return Results.Ok();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ServerLog.Unhealthy(loggers.CreateLogger("Embeddings.Server"), e);
            return Results.Json(new Unhealthy("unhealthy", "Unhealthy"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
