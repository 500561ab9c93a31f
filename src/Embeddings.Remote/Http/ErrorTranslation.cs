using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Embeddings.Remote.Http;

/// <summary>
/// Turns a server's error answer into the exception an in-process embedder would throw for the same cause where
/// there is one (a full queue, a model that cannot do this, an input too long), else a <see cref="RemoteEmbedderException"/>.
/// </summary>
internal static partial class ErrorTranslation
{
    /// <summary>The exception for an error answer; the body is TEI's <c>{"error", "error_type"}</c> when the server follows it.</summary>
    public static Exception FromAnswer(Uri uri, int status, byte[] body)
    {
        (string? message, string? type) = Read(body);
        string reason = message ?? (body.Length == 0 ? "(no body)" : Truncate(Encoding.UTF8.GetString(body)));
        string text = $"{uri} answered {status}: {reason}";
        var remote = new RemoteEmbedderException(text, uri, status, type);
        return status switch
        {
            429 => new EmbeddingQueueFullException(text, remote),
            424 => new NotSupportedException(text, remote),
            401 or 403 => new RemoteEmbedderException(text + " (is the API key right? See RemoteEmbedderOptions.ApiKey.)", uri, status, type),
            _ when message is not null && TooLong().Match(message) is { Success: true } match =>
                new InputTooLongException(int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value), int.Parse(match.Groups[3].Value)),
            _ => remote,
        };
    }

    /// <summary>Shifts an <see cref="InputTooLongException"/>'s index from its request's to the caller's list.</summary>
    public static Exception Offset(Exception exception, int firstIndex) =>
        exception is InputTooLongException tooLong && firstIndex > 0
            ? new InputTooLongException(tooLong.Index + firstIndex, tooLong.TokenCount, tooLong.MaxTokens)
            : exception;

    private static (string? Message, string? Type) Read(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error)) return (null, null);
            // TEI: {"error": "...", "error_type": "..."}; OpenAI: {"error": {"message": "...", "type": "..."}}.
            if (error.ValueKind == JsonValueKind.String)
                return (error.GetString(), root.TryGetProperty("error_type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null);
            if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var nested) && nested.ValueKind == JsonValueKind.String)
                return (nested.GetString(), error.TryGetProperty("type", out var kind) && kind.ValueKind == JsonValueKind.String ? kind.GetString() : null);
            return (null, null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";

    // The Embeddings server's answer to an input over the limit with truncation off.
    [GeneratedRegex(@"^Input (\d+) is (\d+) tokens long; the model accepts at most (\d+)\.")]
    private static partial Regex TooLong();
}
