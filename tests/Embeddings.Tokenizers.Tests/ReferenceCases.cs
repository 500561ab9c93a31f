using System.Text.Json;
using Embeddings.TestModels;

namespace Embeddings.Tokenizers.Tests;

/// <summary>One single-text case of a tokenizer fixture's cases.jsonl (Hugging Face <c>tokenizers</c> output).</summary>
internal sealed record ReferenceCase(string Id, string Text, bool AddSpecialTokens, int[] Ids, string[] Tokens,
    (int Start, int End)[] Offsets, string Decoded, string DecodedKeepSpecial)
{
    public override string ToString() => Id;

    /// <summary>The cases without a pair, truncation or padding: what <c>encode(text, add_special_tokens)</c> gives.</summary>
    public static IReadOnlyList<ReferenceCase> Load(string family)
    {
        var cases = new List<ReferenceCase>();
        foreach (var line in File.ReadLines(Path.Combine(Fixtures.TokenizerDir(family), "cases.jsonl")))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var root = JsonDocument.Parse(line).RootElement;
            var options = root.GetProperty("options");
            if (root.GetProperty("pair").ValueKind != JsonValueKind.Null) continue;
            if (options.GetProperty("truncation").ValueKind != JsonValueKind.Null) continue;
            if (options.GetProperty("padding").ValueKind != JsonValueKind.Null) continue;
            cases.Add(new ReferenceCase(
                root.GetProperty("id").GetString()!,
                JsonText(root.GetProperty("text")),
                options.GetProperty("add_special_tokens").GetBoolean(),
                root.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                root.GetProperty("tokens").EnumerateArray().Select(JsonText).ToArray(),
                root.GetProperty("offsets_utf16").EnumerateArray().Select(e => (e[0].GetInt32(), e[1].GetInt32())).ToArray(),
                JsonText(root.GetProperty("decoded")),
                JsonText(root.GetProperty("decoded_keep_special"))));
        }
        return cases;
    }

    // Some texts hold lone surrogates, escaped as \udXXX; System.Text.Json refuses to materialise those, so the
    // escapes are decoded here unit by unit.
    private static string JsonText(JsonElement element)
    {
        var raw = element.GetRawText().AsSpan(1, element.GetRawText().Length - 2);
        if (raw.IndexOf('\\') < 0) return element.GetString()!;
        var text = new System.Text.StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '\\') { text.Append(raw[i]); continue; }
            var escape = raw[++i];
            if (escape == 'u')
            {
                text.Append((char)Convert.ToUInt16(raw.Slice(i + 1, 4).ToString(), 16));
                i += 4;
            }
            else text.Append(escape switch { 'n' => '\n', 'r' => '\r', 't' => '\t', 'b' => '\b', 'f' => '\f', _ => escape });
        }
        return text.ToString();
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, HuggingFaceTokenizer> Loaded = new();

    /// <summary>The family's tokenizer through the adapter, loaded once for all tests (the largest take seconds).</summary>
    public static HuggingFaceTokenizer Tokenizer(string family) =>
        Loaded.GetOrAdd(family, f => HuggingFaceTokenizer.Create(TokenizerJson(f)));

    public static string TokenizerJson(string family) => Path.Combine(Fixtures.TokenizerDir(family), "tokenizer.json");
}
