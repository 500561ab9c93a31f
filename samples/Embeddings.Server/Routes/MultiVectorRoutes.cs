using Embeddings.Server.Http;

namespace Embeddings.Server.Routes;

/// <summary>
/// <c>POST /embed_multi</c>: multi-vector (ColBERT-style) embeddings. TEI has no such route; this one takes TEI's
/// embedding request (<c>inputs</c>, <c>truncate</c>, <c>truncation_direction</c>, <c>prompt_name</c>) plus
/// <c>role</c> (<c>"query"</c> or <c>"document"</c>, default document) and answers in the shape of TEI's
/// <c>/embed_all</c>: per input a list of rows, here one per token the model keeps after its token-level Dense,
/// mask and Normalize. Errors use TEI's error shape; a model that is not multi-vector is a 424.
/// </summary>
internal static class MultiVectorRoutes
{
    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGroup("").AddEndpointFilter(ErrorResponses.Tei).MapPost("/embed_multi", EmbedMulti);
    }

    private static async Task<IResult> EmbedMulti(HttpContext context, Embedder model, ServerSettings settings)
    {
        var cancellationToken = context.RequestAborted;
        using var body = await JsonBody.ReadAsync(context.Request, cancellationToken);
        var request = TeiEmbedRequest.Read(body, settings);
        var role = body.String("role") switch
        {
            null or "document" => MultiVectorRole.Document,
            "query" => MultiVectorRole.Query,
            var other => throw ApiException.Validation($"`role` must be \"query\" or \"document\", not \"{other}\"."),
        };
        var options = new MultiVectorOptions { Truncation = request.Truncation, PromptName = request.PromptName };
        var results = await model.EmbedMultiVectorAsync(request.Texts, role, options, cancellationToken);
        return Results.Json(results.Select(rows => Enumerable.Range(0, rows.Count).Select(r => rows[r].ToArray()).ToArray()).ToArray());
    }
}
