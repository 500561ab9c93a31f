using System.Text.Json;

namespace Embeddings.Remote.Http;

/// <summary>Writes a request's JSON body (no reflection, so the package stays trimmable).</summary>
internal static class RequestBody
{
    /// <summary><c>{"inputs": [...], ...fields}</c> for the texts <c>[start, start + count)</c>.</summary>
    public static byte[] Inputs(IReadOnlyList<string> texts, int start, int count, Action<Utf8JsonWriter>? fields = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("inputs");
            for (int i = start; i < start + count; i++) writer.WriteStringValue(texts[i]);
            writer.WriteEndArray();
            fields?.Invoke(writer);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
