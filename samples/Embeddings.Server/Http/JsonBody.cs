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

    // TEI's parser refuses duplicate keys; last-one-wins would silently drop what the client sent first.
    private static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false };

    /// <summary>
    /// Reads the request body as one JSON object. A declared content type other than JSON is refused (415), as TEI
    /// does; text that is not valid Unicode (invalid UTF-8, an unpaired <c>\ud800</c> escape) and duplicate keys
    /// are refused (422). Kestrel's own request errors (a body over its size limit, a stalled body) surface as
    /// <see cref="BadHttpRequestException"/> and are answered with Kestrel's status by <see cref="ErrorTranslation"/>.
    /// </summary>
    public static async Task<JsonBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentType is { Length: > 0 } contentType && !IsJson(contentType))
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, "Validation",
                $"Expected request with `Content-Type: application/json`, got `{contentType}`.");
        var bytes = await ReadBytesAsync(request, cancellationToken);
        if (RequestText.InvalidUnicodeReason(bytes.Span) is { } invalid)
            throw ApiException.Validation($"The request body is not valid Unicode: {invalid}.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, Options);
        }
        catch (JsonException e)
        {
            throw ApiException.Validation($"The request body is not valid JSON: {e.Message}");
        }
        if (document.RootElement.ValueKind == JsonValueKind.Object) return new JsonBody(document);
        document.Dispose();
        throw ApiException.Validation("The request body must be a JSON object.");
    }

    private static bool IsJson(string contentType)
    {
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    // The whole body, read once; Kestrel's MaxRequestBodySize bounds it (reading past it throws BadHttpRequestException 413).
    private static async Task<ReadOnlyMemory<byte>> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = request.ContentLength is { } length and > 0 and < int.MaxValue ? new MemoryStream((int)length) : new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
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
