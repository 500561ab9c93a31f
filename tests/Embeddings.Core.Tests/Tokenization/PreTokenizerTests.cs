using Embeddings.Tokenization;
using Embeddings.Tokenization.PreTokenizers;
using Embeddings.Tokenization.Text;

namespace Embeddings.Core.Tests.Tokenization;

/// <summary>Pre-tokenizers: the pieces they cut and the original offsets of each piece.</summary>
public sealed class PreTokenizerTests
{
    private const string Sentence = "Hey friend!     How are you?!?";

    [Fact]
    public void Bert_splits_on_whitespace_and_isolates_punctuation()
    {
        Assert.Equal(
            [("Hey", 0, 3), ("friend", 4, 10), ("!", 10, 11), ("How", 16, 19), ("are", 20, 23), ("you", 24, 27), ("?", 27, 28), ("!", 28, 29), ("?", 29, 30)],
            Probe.Pieces(Sentence, new BertPreTokenizer()));
    }

    [Fact]
    public void Whitespace_keeps_word_runs_and_symbol_runs()
    {
        Assert.Equal(
            [("Hey", 0, 3), ("friend", 4, 10), ("!", 10, 11), ("How", 16, 19), ("are", 20, 23), ("you", 24, 27), ("?!?", 27, 30)],
            Probe.Pieces(Sentence, new WhitespacePreTokenizer()));
    }

    [Fact]
    public void Whitespace_split_only_splits_on_whitespace()
    {
        Assert.Equal(
            [("Hey", 0, 3), ("friend!", 4, 11), ("How", 16, 19), ("are", 20, 23), ("you?!?", 24, 30)],
            Probe.Pieces(Sentence, new WhitespaceSplitPreTokenizer()));
    }

    [Theory]
    [InlineData(SplitBehaviorName.Isolated, new[] { "Hey friend", "!", "     How are you", "?", "!", "?" })]
    [InlineData(SplitBehaviorName.Removed, new[] { "Hey friend", "     How are you" })]
    [InlineData(SplitBehaviorName.Contiguous, new[] { "Hey friend", "!", "     How are you", "?!?" })]
    [InlineData(SplitBehaviorName.MergedWithPrevious, new[] { "Hey friend!", "     How are you?", "!", "?" })]
    [InlineData(SplitBehaviorName.MergedWithNext, new[] { "Hey friend", "!     How are you", "?", "!", "?" })]
    public void Punctuation_applies_each_behavior(SplitBehaviorName behavior, string[] expected)
    {
        var pieces = Probe.Pieces(Sentence, new PunctuationPreTokenizer(ToBehavior(behavior)));
        Assert.Equal(expected, pieces.Select(p => p.Text));
    }

    [Fact]
    public void Digits_isolates_or_groups_numbers()
    {
        Assert.Equal(["Call ", "1", "2", "3", " now"], Probe.Pieces("Call 123 now", new DigitsPreTokenizer(true)).Select(p => p.Text));
        Assert.Equal(["Call ", "123", " now"], Probe.Pieces("Call 123 now", new DigitsPreTokenizer(false)).Select(p => p.Text));
    }

    [Fact]
    public void Char_delimiter_split_drops_the_delimiter()
    {
        Assert.Equal([("a", 0, 1), ("b", 2, 3), ("c", 5, 6)], Probe.Pieces("axbxxc", new CharDelimiterSplitPreTokenizer('x')));
    }

    [Theory]
    [InlineData(SplitBehaviorName.Removed, new[] { "How", "are", "you", "doing", "?" }, new[] { 0, 4, 8, 12, 17 })]
    [InlineData(SplitBehaviorName.Isolated, new[] { "How", " ", "are", " ", "you", " ", "doing", "?" }, new[] { 0, 3, 4, 7, 8, 11, 12, 17 })]
    [InlineData(SplitBehaviorName.MergedWithPrevious, new[] { "How ", "are ", "you ", "doing", "?" }, new[] { 0, 4, 8, 12, 17 })]
    [InlineData(SplitBehaviorName.MergedWithNext, new[] { "How", " are", " you", " doing", "?" }, new[] { 0, 3, 7, 11, 17 })]
    [InlineData(SplitBehaviorName.Contiguous, new[] { "How", " ", "are", " ", "you", " ", "doing?" }, new[] { 0, 3, 4, 7, 8, 11, 12 })]
    public void Split_on_an_inverted_regex_applies_each_behavior(SplitBehaviorName behavior, string[] texts, int[] starts)
    {
        var split = new SplitPreTokenizer(TextPattern.FromRegex(@"\w+|[^\w\s]+", default), ToBehavior(behavior), invert: true);
        var pieces = Probe.Pieces("How are you doing?", split);
        Assert.Equal(texts, pieces.Select(p => p.Text));
        Assert.Equal(starts, pieces.Select(p => p.Start));
    }

    [Fact]
    public void Split_on_a_string_matches_the_equivalent_regex()
    {
        var byString = new SplitPreTokenizer(new LiteralPattern(" "), SplitBehavior.Removed, invert: false);
        var byRegex = new SplitPreTokenizer(TextPattern.FromRegex(@"\s+", default), SplitBehavior.Removed, invert: false);
        Assert.Equal(Probe.Pieces("Hey, man!", byRegex), Probe.Pieces("Hey, man!", byString));
        var inverted = new SplitPreTokenizer(new LiteralPattern("Hello"), SplitBehavior.Removed, invert: true);
        Assert.Equal([("Hello", 0, 5), ("Hello", 6, 11), ("Hello", 12, 17)], Probe.Pieces("Hello Hello Hello", inverted));
    }

    [Fact]
    public void Gpt2_expression_splits_like_oniguruma_including_astral_letters()
    {
        var pieces = KnownSplitPattern.TryCreate(KnownSplitPattern.Gpt2)!;
        Assert.Equal(["Hello", "\n\n ", " world", " 1234", " I", "'", "LL", " a\uD835\uDC00", "'s"],
            Matches(pieces, "Hello\n\n  world 1234 I'LL a\uD835\uDC00's"));
    }

    [Fact]
    public void Qwen_expression_splits_like_oniguruma_including_astral_letters()
    {
        var pieces = KnownSplitPattern.TryCreate(KnownSplitPattern.Qwen2)!;
        Assert.Equal(["Hello", "\n\n", " ", " world", " ", "1", "2", "3", "4", " I", "'LL", " a\uD835\uDC00", "'\u017F"],
            Matches(pieces, "Hello\n\n  world 1234 I'LL a\uD835\uDC00'\u017F"));
        var llama = KnownSplitPattern.TryCreate(KnownSplitPattern.Cl100k)!;
        Assert.Equal(["123", "45", ".)\r\n", "   ", " x"], Matches(llama, "12345.)\r\n    x"));
    }

    [Fact]
    public void Byte_level_splits_with_gpt2_and_maps_to_the_byte_alphabet()
    {
        Assert.Equal(
            [("Hello", 0, 5), ("\u0120my", 5, 8), ("\u0120friend", 8, 15), (",", 15, 16), ("\u0120how", 16, 20), ("?", 20, 21)],
            Probe.Pieces("Hello my friend, how?", new ByteLevelPreTokenizer(addPrefixSpace: false, useRegex: true)));
        Assert.Equal([("\u0120Hello", 0, 5), ("\u0120\u00C3\u00A9", 5, 7)],
            Probe.Pieces("Hello \u00E9", new ByteLevelPreTokenizer(addPrefixSpace: true, useRegex: true)));
        Assert.Equal([("a\u0120\u0120b", 0, 4)], Probe.Pieces("a  b", new ByteLevelPreTokenizer(false, useRegex: false)));
    }

    [Fact]
    public void Metaspace_replaces_spaces_prepends_and_splits()
    {
        var always = new MetaspacePreTokenizer("\u2581", PrependScheme.Always, split: true);
        Assert.Equal([("\u2581Hey", 0, 3), ("\u2581", 3, 4), ("\u2581friend!", 4, 12)], Probe.Pieces("Hey  friend!", always));
        var never = new MetaspacePreTokenizer("\u2581", PrependScheme.Never, split: true);
        Assert.Equal(["Hey", "\u2581friend"], Probe.Pieces("Hey friend", never).Select(p => p.Text));
        var whole = new MetaspacePreTokenizer("\u2581", PrependScheme.Always, split: false);
        Assert.Equal(["\u2581Hey\u2581friend"], Probe.Pieces("Hey friend", whole).Select(p => p.Text));
    }

    [Fact]
    public void Metaspace_first_scheme_only_prefixes_the_start_of_the_text()
    {
        var first = new SequencePreTokenizer([new CharDelimiterSplitPreTokenizer(' '), new MetaspacePreTokenizer("\u2581", PrependScheme.First, true)]);
        Assert.Equal([("\u2581Hey", 0, 3), ("friend", 4, 10)], Probe.Pieces("Hey friend", first));
        var always = new SequencePreTokenizer([new CharDelimiterSplitPreTokenizer(' '), new MetaspacePreTokenizer("\u2581", PrependScheme.Always, true)]);
        Assert.Equal([("\u2581Hey", 0, 3), ("\u2581friend", 4, 10)], Probe.Pieces("Hey friend", always));
    }

    [Fact]
    public void Metaspace_reads_the_legacy_add_prefix_space_key()
    {
        var legacy = Probe.Tokenizer(Probe.WordLevel("[UNK]", "Hey", "\u2581friend"),
            preTokenizer: """{"type": "Metaspace", "replacement": "\u2581", "str_rep": "\u2581", "add_prefix_space": false}""");
        Assert.Equal(["Hey", "\u2581friend"], legacy.Encode("Hey friend").Tokens);
        var conflict = Assert.Throws<TokenizerFormatException>(() => Probe.Tokenizer(Probe.WordLevel("[UNK]"),
            preTokenizer: """{"type": "Metaspace", "replacement": "\u2581", "add_prefix_space": false, "prepend_scheme": "always"}"""));
        Assert.Contains("prepend_scheme", conflict.Message);
    }

    [Fact]
    public void Unicode_scripts_splits_where_the_script_changes()
    {
        Assert.Equal(["\u3053\u3093\u306B\u3061\u306F\u4E16\u754C", "ABC ", "123"],
            Probe.Pieces("\u3053\u3093\u306B\u3061\u306F\u4E16\u754CABC 123", new UnicodeScriptsPreTokenizer()).Select(p => p.Text));
        // As in the reference, characters of no script before the first scripted one are dropped.
        Assert.Equal([("abc", 2, 5)], Probe.Pieces("  abc", new UnicodeScriptsPreTokenizer()));
    }

    [Fact]
    public void Fixed_length_cuts_chunks_of_characters()
    {
        Assert.Equal(["abc", "de\uD83D\uDE00", "f"], Probe.Pieces("abcde\uD83D\uDE00f", new FixedLengthPreTokenizer(3)).Select(p => p.Text));
    }

    /// <summary>Split behaviors by name (the enum itself is internal).</summary>
    public enum SplitBehaviorName { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous }

    private static SplitBehavior ToBehavior(SplitBehaviorName name) => Enum.Parse<SplitBehavior>(name.ToString());

    private static string[] Matches(TextPattern pattern, string text)
    {
        var matches = new List<(int Start, int End)>();
        pattern.FindMatches(text, matches);
        return matches.Select(m => text[m.Start..m.End]).ToArray();
    }
}
