using System.Globalization;
using System.Text;
using System.Text.Json;
using Embeddings.TestModels;

namespace Embeddings.Core.Tests.Tokenization;

/// <summary>One record of a tokenizer fixture's cases.jsonl: the input, options and the reference encoding.</summary>
internal sealed record ReferenceCase(
    string Id,
    string Variant,
    string Text,
    string? Pair,
    int? TruncateTo,
    bool FromTokenizerJson,
    int[] Ids,
    string[] Tokens,
    int[] TypeIds,
    int[] AttentionMask,
    int[] SpecialTokensMask,
    (int Start, int End)[] Offsets,
    int?[] WordIds,
    int?[] SequenceIds,
    int OverflowCount,
    string? Decoded,
    string? DecodedKeepSpecial)
{
    private static readonly Dictionary<string, IReadOnlyList<ReferenceCase>> Cache = [];

    /// <summary>All records of a tokenizer fixture, read once.</summary>
    public static IReadOnlyList<ReferenceCase> Load(string family)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(family, out var cached)) return cached;
            var path = Path.Combine(Fixtures.TokenizerDir(family), "cases.jsonl");
            var cases = File.ReadLines(path).Where(l => l.Length > 0).Select(Parse).ToArray();
            Cache[family] = cases;
            return cases;
        }
    }

    private static ReferenceCase Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var r = document.RootElement;
        var options = r.GetProperty("options");
        int? truncateTo = options.TryGetProperty("truncation", out var t) && t.ValueKind == JsonValueKind.Object
            ? t.GetProperty("max_length").GetInt32()
            : null;
        var fromJson = options.TryGetProperty("from_tokenizer_json", out var f) && f.GetBoolean();
        return new ReferenceCase(
            r.GetProperty("id").GetString()!,
            r.GetProperty("variant").GetString()!,
            TolerantString(r.GetProperty("text"))!,
            TolerantString(r.GetProperty("pair")),
            truncateTo,
            fromJson,
            Ints(r, "ids"),
            r.GetProperty("tokens").EnumerateArray().Select(x => TolerantString(x)!).ToArray(),
            Ints(r, "type_ids"),
            Ints(r, "attention_mask"),
            Ints(r, "special_tokens_mask"),
            r.GetProperty("offsets_utf16").EnumerateArray().Select(o => (o[0].GetInt32(), o[1].GetInt32())).ToArray(),
            NullableInts(r, "word_ids"),
            NullableInts(r, "sequence_ids"),
            r.GetProperty("n_overflowing").GetInt32(),
            r.TryGetProperty("decoded", out var d) ? TolerantString(d) : null,
            r.TryGetProperty("decoded_keep_special", out var k) ? TolerantString(k) : null);
    }

    private static int[] Ints(JsonElement r, string name) => r.GetProperty(name).EnumerateArray().Select(x => x.GetInt32()).ToArray();

    private static int?[] NullableInts(JsonElement r, string name) =>
        r.GetProperty(name).EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Null ? (int?)null : x.GetInt32()).ToArray();

    /// <summary>
    /// A JSON string, including escaped lone surrogates (<c>"\ud83d"</c>) that System.Text.Json will not
    /// materialise; those are decoded here as the UTF-16 units they name.
    /// </summary>
    private static string? TolerantString(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Null) return null;
        try
        {
            return e.GetString();
        }
        catch (InvalidOperationException)
        {
            var raw = e.GetRawText();
            var builder = new StringBuilder(raw.Length);
            for (var i = 1; i < raw.Length - 1; i++)
            {
                if (raw[i] != '\\')
                {
                    builder.Append(raw[i]);
                    continue;
                }
                var c = raw[++i];
                if (c == 'u')
                {
                    builder.Append((char)ushort.Parse(raw.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                    i += 4;
                }
                else builder.Append(c switch { 'n' => '\n', 't' => '\t', 'r' => '\r', 'b' => '\b', 'f' => '\f', _ => c });
            }
            return builder.ToString();
        }
    }
}
