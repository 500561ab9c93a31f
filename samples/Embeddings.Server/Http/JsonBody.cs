using System.Text.Json;

namespace Embeddings.Server.Http;

/// <summary>
/// A request's JSON object, read whole, with typed field access. Anything malformed is an
/// <see cref="ApiException"/> (422) naming the field, never a crash or a silent default.
/// </summary>
internal sealed class JsonBody : IDisposable
{
    private readonly JsonDocument _document;

    private JsonBody(JsonDocument document) => _document = document;

    /// <summary>Reads the request body as one JSON object.</summary>
    public static async Task<JsonBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
        }
        catch (JsonException e)
        {
            throw ApiException.Validation($"The request body is not valid JSON: {e.Message}");
        }
        if (document.RootElement.ValueKind == JsonValueKind.Object) return new JsonBody(document);
        document.Dispose();
        throw ApiException.Validation("The request body must be a JSON object.");
    }

    /// <summary>A field's value, or null when it is absent or JSON null.</summary>
    public JsonElement? Field(string name) =>
        _document.RootElement.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A field that must be present.</summary>
    public JsonElement Required(string name) => Field(name) ?? throw ApiException.Validation($"missing field `{name}`");

    /// <summary>An optional boolean.</summary>
    public bool? Bool(string name) => Field(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw ApiException.Validation($"`{name}` must be true or false."),
    };

    /// <summary>An optional whole number of at least 1.</summary>
    public int? PositiveInt(string name) => Field(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } number when number.TryGetInt32(out int value) && value >= 1 => value,
        _ => throw ApiException.Validation($"`{name}` must be a whole number of at least 1."),
    };

    /// <summary>An optional string.</summary>
    public string? String(string name) => Field(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        _ => throw ApiException.Validation($"`{name}` must be a string."),
    };

    /// <summary>Releases the parsed document.</summary>
    public void Dispose() => _document.Dispose();
}
