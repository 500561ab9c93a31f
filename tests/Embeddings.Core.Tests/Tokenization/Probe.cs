using Embeddings.Tokenization;
using Embeddings.Tokenization.Normalizers;
using Embeddings.Tokenization.PreTokenizers;
using Embeddings.Tokenization.Text;

namespace Embeddings.Core.Tests.Tokenization;

/// <summary>Runs single pipeline stages on a string and reports the pieces with their original offsets.</summary>
internal static class Probe
{
    /// <summary>The normalized text and, for each UTF-16 unit, the original range it is aligned with.</summary>
    public static (string Text, (int Start, int End)[] Alignments) Normalize(Normalizer normalizer, string input)
    {
        var s = new PreTokenizedString();
        s.Reset(input);
        if (s.Count == 0) return ("", []);
        normalizer.Normalize(s.Normalized(0));
        ref var piece = ref s[0];
        var alignments = new (int, int)[piece.Length];
        for (var i = 0; i < piece.Length; i++) alignments[i] = (s.AlignStart[piece.Start + i], s.AlignEnd[piece.Start + i]);
        return (s.Text(0).ToString(), alignments);
    }

    /// <summary>The pieces after (optional) normalization and pre-tokenization, with their original offsets.</summary>
    public static (string Text, int Start, int End)[] Pieces(string input, PreTokenizer preTokenizer, Normalizer? normalizer = null)
    {
        var s = new PreTokenizedString();
        s.Reset(input);
        if (normalizer is not null && s.Count > 0) normalizer.Normalize(s.Normalized(0));
        preTokenizer.PreTokenize(s);
        var result = new (string, int, int)[s.Count];
        for (var i = 0; i < s.Count; i++) result[i] = (s.Text(i).ToString(), s[i].Shift, s[i].Shift + s[i].OriginalLength);
        return result;
    }

    /// <summary>A tokenizer from tokenizer.json parts given as JSON text (null parts are omitted).</summary>
    public static Tokenizer Tokenizer(string model, string? normalizer = null, string? preTokenizer = null,
        string? postProcessor = null, string? decoder = null, string addedTokens = "[]", string truncation = "null",
        string padding = "null") =>
        Embeddings.Tokenization.Tokenizer.FromJson($$"""
            {"version": "1.0", "truncation": {{truncation}}, "padding": {{padding}}, "added_tokens": {{addedTokens}},
             "normalizer": {{normalizer ?? "null"}}, "pre_tokenizer": {{preTokenizer ?? "null"}},
             "post_processor": {{postProcessor ?? "null"}}, "decoder": {{decoder ?? "null"}},
             "model": {{model}}}
            """, "test.json");

    /// <summary>A WordLevel model JSON whose vocabulary is the given tokens in order (ids 0, 1, ...).</summary>
    public static string WordLevel(params string[] tokens) =>
        """{"type": "WordLevel", "unk_token": "[UNK]", "vocab": """ + Vocab(tokens) + "}";

    /// <summary>A JSON vocabulary object mapping the tokens to 0, 1, 2, ...</summary>
    public static string Vocab(params string[] tokens) =>
        "{" + string.Join(", ", tokens.Select((t, i) => $"{Quote(t)}: {i}")) + "}";

    /// <summary>A JSON string literal.</summary>
    public static string Quote(string s) => System.Text.Json.JsonSerializer.Serialize(s);
}
