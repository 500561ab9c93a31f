using System.Text;
using Embeddings.TestModels;
using Embeddings.Tokenization;

namespace Embeddings.Core.Tests.Tokenization;

/// <summary>
/// Every record of every tokenizer fixture (reference encodings made by Hugging Face tokenizers 0.23) must be
/// reproduced exactly: ids, tokens, type ids, masks, UTF-16 offsets, word and sequence ids, the number of
/// overflowing windows, and both decodings where recorded. Truncated variants pass truncation explicitly; the
/// as_loaded variant applies the file's own truncation and padding.
/// </summary>
public sealed class ReferenceParityTests
{
    public static TheoryData<string> Families() => new(Fixtures.Available ? Fixtures.TokenizerNames() : ["bert-uncased"]);

    [FixtureTheory]
    [MemberData(nameof(Families))]
    public void Every_reference_case_is_reproduced_exactly(string family)
    {
        var tokenizer = LoadTokenizer(family);
        var cases = ReferenceCase.Load(family);
        Assert.NotEmpty(cases);
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var problems = Compare(tokenizer, c);
            if (problems.Count > 0) failures.Add($"{c.Id}: {string.Join("; ", problems)}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases differ:\n" + string.Join("\n", failures.Take(20)));
    }

    [FixtureFact]
    public void The_fixtures_include_lone_surrogates_and_the_as_loaded_variant()
    {
        var cases = ReferenceCase.Load("bert-uncased");
        Assert.Contains(cases, c => HasLoneSurrogate(c.Text));
        Assert.Contains(cases, c => c.Variant == "as_loaded");
    }

    private static bool HasLoneSurrogate(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) i++;
            else if (char.IsSurrogate(s[i])) return true;
        }
        return false;
    }

    internal static Tokenizer LoadTokenizer(string family) =>
        Tokenizer.FromFile(Path.Combine(Fixtures.TokenizerDir(family), "tokenizer.json"));

    private static List<string> Compare(Tokenizer tokenizer, ReferenceCase c)
    {
        var options = c.FromTokenizerJson
            ? new EncodeOptions { Truncation = tokenizer.Truncation, Padding = tokenizer.Padding }
            : new EncodeOptions { Truncation = c.TruncateTo is { } n ? new TruncationOptions(n) : null };
        var e = tokenizer.Encode(c.Text, c.Pair, options);
        var problems = new List<string>();
        void Check<T>(string field, IEnumerable<T> expected, IEnumerable<T> actual)
        {
            if (!expected.SequenceEqual(actual))
                problems.Add($"{field} expected [{string.Join(",", expected)}] got [{string.Join(",", actual)}]");
        }
        Check("ids", c.Ids, e.Ids);
        Check("tokens", c.Tokens, e.Tokens);
        Check("type_ids", c.TypeIds, e.TypeIds);
        Check("attention_mask", c.AttentionMask, e.AttentionMask);
        Check("special_tokens_mask", c.SpecialTokensMask, e.SpecialTokensMask);
        Check("offsets", c.Offsets, e.Offsets.Select(o => (o.Start, o.End)));
        Check("word_ids", c.WordIds, e.WordIds);
        Check("sequence_ids", c.SequenceIds, e.SequenceIds);
        if (c.OverflowCount != e.Overflowing.Count) problems.Add($"overflowing expected {c.OverflowCount} got {e.Overflowing.Count}");
        if (c.Decoded is not null && tokenizer.Decode(e.Ids) is var decoded && decoded != c.Decoded)
            problems.Add($"decoded expected \"{Escape(c.Decoded)}\" got \"{Escape(decoded)}\"");
        if (c.DecodedKeepSpecial is not null && tokenizer.Decode(e.Ids, skipSpecialTokens: false) is var kept && kept != c.DecodedKeepSpecial)
            problems.Add($"decoded_keep_special expected \"{Escape(c.DecodedKeepSpecial)}\" got \"{Escape(kept)}\"");
        return problems;
    }

    private static string Escape(string s)
    {
        var b = new StringBuilder();
        foreach (var ch in s) b.Append(ch is < ' ' or > '~' ? $"\\u{(int)ch:x4}" : ch.ToString());
        return b.ToString();
    }
}
