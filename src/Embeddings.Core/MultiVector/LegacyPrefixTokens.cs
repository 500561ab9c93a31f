using System.Text.Json.Nodes;
using Embeddings.Models;
using Embeddings.Tokenization;

namespace Embeddings.MultiVector;

/// <summary>
/// PyLate and Stanford ColBERT checkpoints inserted their query/document marker (for example <c>[unused0]</c>) as a
/// token id, while their saved tokenizer does not treat it as one piece, so prepending it as text would shatter it
/// into <c>[</c>, <c>unused</c>, <c>##0</c>, <c>]</c>. As sentence-transformers does on load, a marker that is a
/// vocabulary token but does not tokenize to itself is registered as a special added token (matched on the raw
/// text), which makes the text prompt tokenize exactly like the inserted id.
/// </summary>
internal static class LegacyPrefixTokens
{
    /// <summary>The tokenizer with the markers registered, or <paramref name="tokenizer"/> itself when none needs it.</summary>
    /// <param name="tokenizer">The folder's tokenizer.</param>
    /// <param name="tokenizerJsonPath">Its tokenizer.json (null for vocab.txt folders, which are left as they are).</param>
    /// <param name="prefixes">The legacy query/document prefixes.</param>
    public static Tokenizer Register(Tokenizer tokenizer, string? tokenizerJsonPath, IEnumerable<string> prefixes)
    {
        if (tokenizerJsonPath is null) return tokenizer;
        var added = tokenizer.AddedTokens.Select(t => t.Content).ToHashSet(StringComparer.Ordinal);
        var register = new List<(string Content, int Id)>();
        foreach (var value in prefixes)
        {
            if (string.IsNullOrWhiteSpace(value)) continue;
            string firstWord = value.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries)[0];
            foreach (var candidate in new[] { value, firstWord })
            {
                if (tokenizer.TokenToId(candidate) is not { } id) continue;
                var pieces = tokenizer.Encode(candidate, new EncodeOptions { AddSpecialTokens = false });
                if (!added.Contains(candidate) && !(pieces.Length == 1 && pieces.Ids[0] == id) && register.All(r => r.Content != candidate))
                    register.Add((candidate, id));
                break;
            }
        }
        if (register.Count == 0) return tokenizer;

        var root = JsonNode.Parse(File.ReadAllText(tokenizerJsonPath)) as JsonObject
            ?? throw new ModelConfigurationException("tokenizer.json is not a JSON object.", tokenizerJsonPath);
        if (root["added_tokens"] is not JsonArray addedTokens)
            root["added_tokens"] = addedTokens = [];
        foreach (var (content, id) in register)
            addedTokens.Add((JsonNode)new JsonObject
            {
                ["id"] = id, ["content"] = content, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
                ["normalized"] = false, ["special"] = true,
            });
        return Tokenizer.FromJson(root.ToJsonString(), tokenizerJsonPath);
    }
}
