using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Embeddings.Cli;

/// <summary>
/// Reads JSON Lines input: one object per line, blank lines skipped, errors reported with the line number.
/// String values may contain escaped lone surrogates (<c>"\ud83d"</c>), which System.Text.Json refuses to
/// materialise; they are decoded here so the tokenizer sees them.
/// </summary>
internal static class JsonLinesReader
{
    /// <summary>The objects of the input with their 1-based line numbers.</summary>
    public static IEnumerable<(int Line, JsonElement Value)> Read(TextReader reader)
    {
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(line);
                root = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new CliException($"line {number}: invalid JSON: {e.Message}");
            }
            if (root.ValueKind != JsonValueKind.Object) throw new CliException($"line {number}: expected a JSON object");
            yield return (number, root);
        }
    }

    /// <summary>A string member; null when absent or null if <paramref name="required"/> is false.</summary>
    public static string? String(JsonElement obj, string name, int line, bool required)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return required ? throw new CliException($"line {line}: missing \"{name}\"") : null;
        if (value.ValueKind != JsonValueKind.String) throw new CliException($"line {line}: \"{name}\" must be a string");
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return Unescape(value.GetRawText(), line);
        }
    }

    /// <summary>A JSON string value (an array item, say), with escaped lone surrogates kept.</summary>
    public static string StringItem(JsonElement value, int line)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return Unescape(value.GetRawText(), line);
        }
    }

    // Decodes a raw JSON string literal, keeping \uXXXX escapes of lone surrogates as those UTF-16 units.
    private static string Unescape(string raw, int line)
    {
        var builder = new StringBuilder(raw.Length);
        for (var i = 1; i < raw.Length - 1; i++)
        {
            var c = raw[i];
            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }
            var e = raw[++i];
            switch (e)
            {
                case 'n': builder.Append('\n'); break;
                case 't': builder.Append('\t'); break;
                case 'r': builder.Append('\r'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'u':
                    if (!ushort.TryParse(raw.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit))
                        throw new CliException($"line {line}: bad \\u escape");
                    builder.Append((char)unit);
                    i += 4;
                    break;
                default: builder.Append(e); break;
            }
        }
        return builder.ToString();
    }
}
