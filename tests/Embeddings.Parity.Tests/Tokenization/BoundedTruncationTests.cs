using StringBuilder = System.Text.StringBuilder;
using System.Text.Json;
using Embeddings.TestModels;
using Embeddings.Tokenization;

namespace Embeddings.Core.Tests.Tokenization;

/// <summary>
/// With truncation, a long text is normalized and pre-tokenized through a window at the end it keeps, so its cost
/// follows what is kept. These tests hold that path to the whole-text path: the same ids, tokens, offsets, type ids,
/// truncation flag and overflowing windows on every fixture tokenizer, both directions, pairs and strides, on texts
/// built to catch a window cut leaking into the result (whitespace runs, combining sequences, one huge word,
/// surrogate pairs, special-token look-alikes, long stretches without tokens).
/// </summary>
public sealed class BoundedTruncationTests
{
    public static TheoryData<string> Families() => ReferenceParityTests.Families();

    private static readonly int[] Limits = [1, 9, 512, 3000];

    [FixtureTheory]
    [MemberData(nameof(Families))]
    public void Windowed_truncation_gives_exactly_the_whole_text_result(string family)
    {
        var tokenizer = ReferenceParityTests.LoadTokenizer(family);
        foreach (var (name, text) in LongTexts())
            foreach (var direction in (SequenceSide[])[SequenceSide.Right, SequenceSide.Left])
                foreach (var limit in Limits)
                {
                    var options = new EncodeOptions { Truncation = new TruncationOptions(limit, PairTruncationStrategy.LongestFirst, direction) };
                    AssertSame(tokenizer, text, null, options, $"{family} {name} {direction} {limit}");
                }
    }

    [FixtureTheory]
    [MemberData(nameof(Families))]
    public void Windowed_truncation_of_pairs_and_strides_gives_exactly_the_whole_text_result(string family)
    {
        var tokenizer = ReferenceParityTests.LoadTokenizer(family);
        var texts = LongTexts().ToArray();
        var natural = texts[0].Text;
        var shortText = "A short second sequence, with punctuation!";
        foreach (var direction in (SequenceSide[])[SequenceSide.Right, SequenceSide.Left])
        {
            var stride = new EncodeOptions { Truncation = new TruncationOptions(64, PairTruncationStrategy.LongestFirst, direction, stride: 8) };
            AssertSame(tokenizer, natural, null, stride, $"{family} stride {direction}");
            foreach (var strategy in (PairTruncationStrategy[])[PairTruncationStrategy.LongestFirst, PairTruncationStrategy.OnlyFirst])
            {
                var options = new EncodeOptions { Truncation = new TruncationOptions(256, strategy, direction) };
                AssertSame(tokenizer, natural, shortText, options, $"{family} pair {strategy} {direction}");
            }
            var both = new EncodeOptions { Truncation = new TruncationOptions(300, PairTruncationStrategy.LongestFirst, direction) };
            AssertSame(tokenizer, natural, texts[1].Text, both, $"{family} two long {direction}");
            var second = new EncodeOptions { Truncation = new TruncationOptions(256, PairTruncationStrategy.OnlySecond, direction) };
            AssertSame(tokenizer, shortText, natural, second, $"{family} only second {direction}");
        }
    }

    [FixtureTheory]
    [MemberData(nameof(Families))]
    public void The_ids_only_path_truncates_long_texts_exactly_like_the_whole_text_path(string family)
    {
        var tokenizer = ReferenceParityTests.LoadTokenizer(family);
        var ids = new int[4096];
        foreach (var (name, text) in LongTexts())
            foreach (var limit in Limits)
            {
                var expected = tokenizer.Encode(text, null,
                    new EncodeOptions { Truncation = new TruncationOptions(limit) }, windowed: false);
                var count = tokenizer.EncodeToIds(text, ids, limit);
                Assert.True(expected.Ids.AsSpan().SequenceEqual(ids.AsSpan(0, count)), $"{family} {name} {limit}");
            }
    }

    private static void AssertSame(Tokenizer tokenizer, string text, string? pair, EncodeOptions options, string label)
    {
        var expected = tokenizer.Encode(text, pair, options, windowed: false);
        var actual = tokenizer.Encode(text, pair, options, windowed: true);
        AssertEqual(expected, actual, label);
    }

    private static void AssertEqual(Encoding expected, Encoding actual, string label)
    {
        Assert.True(expected.Ids.AsSpan().SequenceEqual(actual.Ids), $"{label}: ids differ");
        Assert.Equal(expected.Tokens, actual.Tokens);
        Assert.True(expected.Offsets.AsSpan().SequenceEqual(actual.Offsets), $"{label}: offsets differ");
        Assert.True(expected.TypeIds.AsSpan().SequenceEqual(actual.TypeIds), $"{label}: type ids differ");
        Assert.Equal(expected.WordIds, actual.WordIds);
        Assert.True(expected.WasTruncated == actual.WasTruncated, $"{label}: truncation flag differs");
        Assert.True(expected.Overflowing.Count == actual.Overflowing.Count, $"{label}: {expected.Overflowing.Count} overflowing windows, got {actual.Overflowing.Count}");
        for (var i = 0; i < expected.Overflowing.Count; i++) AssertEqual(expected.Overflowing[i], actual.Overflowing[i], $"{label} overflow {i}");
    }

    /// <summary>Texts well past the length where the windowed path starts (65,536 UTF-16 units).</summary>
    private static IEnumerable<(string Name, string Text)> LongTexts()
    {
        var natural = Natural();
        yield return ("natural", natural);

        var random = new Random(20);
        var spaced = new StringBuilder();
        while (spaced.Length < 150_000)
        {
            spaced.Append("word").Append(random.Next(1000)).Append(random.Next(8) == 0 ? "\u00e9\u0301" : "");
            var run = random.Next(10) == 0 ? random.Next(1, 6000) : random.Next(1, 4);
            spaced.Append(random.Next(3) switch { 0 => ' ', 1 => '\n', _ => '\t' }, run);
        }
        yield return ("whitespace runs", spaced.ToString());

        yield return ("one huge word", new string('a', 90_000) + " tail words here " + new string('b', 90_000));

        var combining = new StringBuilder();
        while (combining.Length < 120_000) combining.Append('e').Append('\u0301', random.Next(1, 60)).Append(' ');
        yield return ("combining runs", combining.ToString());

        var emoji = new StringBuilder();
        while (emoji.Length < 120_000)
            emoji.Append("\U0001F468\u200D\U0001F469\u200D\U0001F467 \U0001F1EB\U0001F1F7").Append(random.Next(5) == 0 ? "\uD800" : "").Append("\U0001F44D\U0001F3FD");
        yield return ("emoji and lone surrogates", emoji.ToString());

        var specials = new StringBuilder();
        while (specials.Length < 120_000)
            specials.Append("[CLS] <s> x</s>[MASK] <mask>  <|endoftext|> [SEP]").Append(' ', random.Next(1, 40)).Append("<pad>");
        yield return ("special-token look-alikes", specials.ToString());

        yield return ("a long stretch without tokens", new string(' ', 100_000) + natural[..5000] + new string(' ', 100_000));
        yield return ("CJK without spaces", string.Concat(Enumerable.Repeat("中文分词测试東京都の天気は晴れです한국어텍스트", 3000)));

        // One word longer than any window: WordPiece tokenizers bound it by scanning for its end, the others (and
        // words the scan cannot judge) take the whole-text path; both must match that path exactly.
        var word = new string('a', 300_000);
        yield return ("one word", word);
        yield return ("one word between whitespace", "\n \t" + word + " \r\n ");
        yield return ("one word after text", natural[..3000] + " " + string.Concat(Enumerable.Repeat("Ab1", 100_000)) + "\n");
        yield return ("one word before text", word + ". " + natural[..3000]);
        yield return ("one word between texts", natural[..20_000] + "!" + word + "\"" + natural[20_000..40_000]);
        yield return ("one word with an accent inside", word[..150_000] + "\u00e9" + word[..150_000]);
        yield return ("one word next to control characters", "\u0001" + word + "\u0001 tail");
        yield return ("one word next to non-ASCII letters", "\u00e9" + word + "\u00e9");
        yield return ("one word next to a special token", "[SEP]<mask>" + word + "[CLS]<s>");
    }

    private static string Natural()
    {
        var builder = new StringBuilder();
        foreach (var language in (string[])["en", "ja", "ru", "ar", "de", "zh-cn"])
        {
            var path = Path.Combine(Fixtures.CorpusDir, $"debian-handbook.{language}.jsonl");
            foreach (var line in File.ReadLines(path).Take(60))
            {
                using var document = JsonDocument.Parse(line);
                builder.Append(document.RootElement.GetProperty("text").GetString()).Append('\n');
            }
        }
        while (builder.Length < 150_000) builder.Append(builder.ToString(0, Math.Min(builder.Length, 150_000 - builder.Length)));
        return builder.ToString();
    }
}
