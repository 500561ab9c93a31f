using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Embeddings.Server.OpenApi;

/// <summary>
/// The OpenAPI document at /openapi/v1.json and its docs page at /docs. The routes read their JSON bodies
/// themselves (to answer malformed ones in TEI's shape), so the document describes each request body here.
/// </summary>
internal static class ApiDocument
{
    /// <summary>Where the docs page is served.</summary>
    public const string DocsPath = "/docs";

    private sealed record Operation(string Summary, Func<OpenApiSchema>? Body);

    private static readonly Dictionary<string, Operation> Operations = new(StringComparer.Ordinal)
    {
        ["/embed"] = new("Dense vectors, one per input (TEI).", () => TeiBody(
            ("normalize", Boolean("L2-normalize the vectors (default true).")),
            ("dimensions", Integer("Matryoshka truncation to this many dimensions.")),
            ("prompt_name", Text("One of the model's named prompts.")))),
        ["/embed_all"] = new("Per-token vectors of each input (TEI).", () => TeiBody(("prompt_name", Text("One of the model's named prompts.")))),
        ["/embed_sparse"] = new("Sparse SPLADE vectors as index/value pairs (TEI).", () => TeiBody(("prompt_name", Text("One of the model's named prompts.")))),
        ["/tokenize"] = new("Tokens of each input with UTF-8 byte offsets (TEI).", () => Object(["inputs"],
            ("inputs", Inputs()), ("add_special_tokens", Boolean("Add the model's special tokens (default true).")),
            ("prompt_name", Text("One of the model's named prompts.")))),
        ["/decode"] = new("Text of token ids (TEI).", () => Object(["ids"],
            ("ids", new OpenApiSchema { Description = "Token ids, or a list of such lists.", OneOf = [IdList(), new OpenApiSchema { Type = JsonSchemaType.Array, Items = IdList() }] }),
            ("skip_special_tokens", Boolean("Leave special tokens out (default true).")))),
        ["/v1/embeddings"] = new("Embeddings in OpenAI's shape; vectors are L2-normalized.", OpenAiBody),
        ["/embeddings"] = new("Embeddings in OpenAI's shape (same as /v1/embeddings).", OpenAiBody),
        ["/info"] = new("The model and the server's limits (TEI's fields).", null),
        ["/health"] = new("200 when a tiny run through the model succeeds, 503 otherwise.", null),
    };

    /// <summary>Registers the document generator.</summary>
    public static void AddApiDocument(IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Embeddings.Server";
            document.Info.Version = Hosting.ServerHelp.Version;
            document.Info.Description = "Text embeddings over HTTP: Hugging Face text-embeddings-inference's API and OpenAI's embeddings API. " +
                "Errors are JSON: {\"error\", \"error_type\"} on TEI's routes, {\"error\": {\"message\", \"type\", \"code\"}} on OpenAI's.";
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            string path = "/" + (context.Description.RelativePath ?? "").TrimStart('/');
            if (!Operations.TryGetValue(path, out var known)) return Task.CompletedTask;
            operation.Summary = known.Summary;
            if (known.Body is { } body)
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = body() } },
                };
            return Task.CompletedTask;
        });
    });

    /// <summary>Maps /openapi/v1.json and the docs page.</summary>
    public static void Map(WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(DocsPath, options => options.WithTitle("Embeddings.Server"));
    }

    private static OpenApiSchema TeiBody(params (string Name, OpenApiSchema Schema)[] extra) => Object(["inputs"],
        [("inputs", Inputs()),
         ("truncate", Boolean("Cut inputs longer than the model allows (default: the server's --auto-truncate).")),
         ("truncation_direction", new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["right", "left"], Description = "Which end to cut." }),
         .. extra]);

    private static OpenApiSchema OpenAiBody() => Object(["input"],
        ("input", Inputs()),
        ("model", Text("Reported back; the server serves one model.")),
        ("dimensions", Integer("Matryoshka truncation to this many dimensions.")),
        ("encoding_format", new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["float", "base64"], Description = "float (default) or base64 of little-endian float32." }));

    private static OpenApiSchema Inputs() => new()
    {
        Description = "A text, a list of texts, token ids (as /tokenize gives them), or a list of token-id lists; at most the server's max_client_batch_size inputs.",
        OneOf = [new OpenApiSchema { Type = JsonSchemaType.String }, new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } }],
    };

    private static OpenApiSchema IdList() => new() { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Integer } };

    private static OpenApiSchema Object(string[] required, params (string Name, OpenApiSchema Schema)[] properties) => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string>(required),
        Properties = properties.ToDictionary(p => p.Name, p => (IOpenApiSchema)p.Schema),
    };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema Boolean(string description) => new() { Type = JsonSchemaType.Boolean, Description = description };

    private static OpenApiSchema Integer(string description) => new() { Type = JsonSchemaType.Integer, Minimum = "1", Description = description };
}
