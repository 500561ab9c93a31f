using System.Text.Json;
using Embeddings.TestModels;
using Embeddings.Tokenization;

namespace Embeddings.Core.Tests.Tokenization;

/// <summary>
/// The one-pass ids path of the BERT pipeline (<see cref="BertIdsFastPath"/>) must give exactly the ids of the
/// general pipeline and of the reference: on every fixture case, on the corpus, on every BMP character alone and
/// among neighbours, and on the combining sequences that make its per-character table unsafe. It must also
/// actually run (not silently send everything to the general pipeline).
/// </summary>
public sealed class BertIdsFastPathTests
{
    public static TheoryData<string> WordPieceFamilies() => new(["bert-uncased", "bert-multilingual-cased", "mpnet"]);

    [FixtureTheory]
    [MemberData(nameof(WordPieceFamilies))]
    public void Single_sequence_reference_cases_are_reproduced_by_the_ids_path(string family)
    {
        var tokenizer = ReferenceParityTests.LoadTokenizer(family);
        var cases = ReferenceCase.Load(family).Where(c => c.Pair is null && !c.FromTokenizerJson).ToArray();
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            var ids = new int[4 * c.Text.Length + 16];
            var typeIds = new int[ids.Length];
            var n = tokenizer.EncodeToIds(c.Text, ids, typeIds, c.TruncateTo ?? int.MaxValue);
            Assert.True(c.Ids.AsSpan().SequenceEqual(ids.AsSpan(0, n)), $"{c.Id}: ids differ");
            Assert.True(c.TypeIds.AsSpan().SequenceEqual(typeIds.AsSpan(0, n)), $"{c.Id}: type ids differ");
        }
    }

    [FixtureTheory]
    [MemberData(nameof(WordPieceFamilies))]
    public void Corpus_passages_get_the_general_pipelines_ids_and_mostly_take_the_fast_path(string family)
    {
        var tokenizer = ReferenceParityTests.LoadTokenizer(family);
        var fastPath = FastPathOf(family);
        var texts = CorpusPassages(every: 7);
        Assert.True(texts.Count > 4000);
        var ids = new int[1024];
        var handled = 0;
        foreach (var text in texts)
        {
            if (ids.Length < 3 * text.Length + 16) ids = new int[3 * text.Length + 16];
            var n = tokenizer.EncodeToIds(text, ids);
            var expected = tokenizer.Encode(text).Ids;
            Assert.True(expected.AsSpan().SequenceEqual(ids.AsSpan(0, n)), $"ids differ for: {text[..Math.Min(120, text.Length)]}");
            if (fastPath.TryEncode(text, new int[3 * text.Length + 16], int.MaxValue) >= 0) handled++;
        }
        // The corpus has 15 languages; only rare characters (surrogates, surviving combining marks) need the general path.
        Assert.True(handled >= texts.Count * 95 / 100, $"the fast path handled {handled} of {texts.Count} passages");
    }

    [FixtureTheory]
    [MemberData(nameof(WordPieceFamilies))]
    public void Every_BMP_character_alone_and_among_neighbours_matches_the_general_pipeline(string family)
    {
        var tokenizer = ReferenceParityTests.LoadTokenizer(family);
        var ids = new int[64];
        for (var c = 1; c < 0x10000; c++)
        {
            if (char.IsSurrogate((char)c)) continue;
            var ch = (char)c;
            foreach (var text in new[] { ch.ToString(), $"ab{ch}cd e{ch}{ch} {ch}x" })
            {
                var n = tokenizer.EncodeToIds(text, ids);
                Assert.True(tokenizer.Encode(text).Ids.AsSpan().SequenceEqual(ids.AsSpan(0, n)), $"U+{c:X4} in \"{text}\"");
            }
        }
    }

    [FixtureTheory]
    [MemberData(nameof(WordPieceFamilies))]
    public void Combining_sequences_special_casings_and_added_tokens_match_the_general_pipeline(string family)
    {
        var tokenizer = ReferenceParityTests.LoadTokenizer(family);
        string[] texts =
        [
            "Cafe\u0301 na\u0131\u0308ve re\u0301sume\u0301", "a\u0323\u0302 a\u0302\u0323 \u1EAD", "\u0130stanbul \u0130I",
            "\u0623\u0648\u0644\u0649 \u0625\u0630\u0627", "\uD55C\uAD6D\uC5B4 \u1100\u1161\u11A8", "x\u0F71\u0F72\u0F74 \u0F73",
            "\U0001D165\U0001D16E", "e\u0301\u0301\u0301\u0301", "\u0915\u094D\u0937 \u0BA8\u0BBF", "word[CLS]word [SEP] <mask> <unk>", "a <unk b <UNK> c < unk> <<unk>> <", "x<mask", "<\u0000unk>",
            "a\u0000b c\uFFFDd e\u200Bf \u00ADg", "\u4E2D\u6587abc\u3000\u65E5\u672C", "\uF900\uFA0E", "\uD83D\uDE00 emoji", "\uD800 lone",
            new string('a', 100), new string('a', 101), new string('\u00E9', 101), "supercalifragilisticexpialidocious" + new string('z', 80),
            "", " ", "\t\n\r", "\u000B\u000C", "...!!!", "don't-stop_now", "Ǆ ǅ ǆ ß ẞ ﬁ Ω",
        ];
        foreach (var text in texts)
            foreach (var special in new[] { true, false })
                foreach (var max in new[] { int.MaxValue, 0, 1, 2, 3, 5, 9 })
                {
                    var expected = tokenizer.Encode(text, new EncodeOptions
                    {
                        AddSpecialTokens = special,
                        Truncation = max == int.MaxValue ? null : new TruncationOptions(max),
                    });
                    var ids = new int[4 * text.Length + 16];
                    var typeIds = new int[ids.Length];
                    var n = tokenizer.EncodeToIds(text, ids, typeIds, max, special);
                    Assert.True(expected.Ids.AsSpan().SequenceEqual(ids.AsSpan(0, n)), $"\"{text}\" special={special} max={max}");
                    Assert.True(expected.TypeIds.AsSpan().SequenceEqual(typeIds.AsSpan(0, n)), $"\"{text}\" type ids");
                }
    }

    [FixtureFact]
    public void A_destination_too_short_is_reported_as_before()
    {
        var tokenizer = ReferenceParityTests.LoadTokenizer("bert-uncased");
        var needed = tokenizer.Encode("hello world again").Length;
        Assert.Throws<ArgumentException>(() => tokenizer.EncodeToIds("hello world again", new int[needed - 1]));
        Assert.Throws<ArgumentException>(() => tokenizer.EncodeToIds("hello world again", new int[1]));
        Assert.Throws<ArgumentException>(() => tokenizer.EncodeToIds("hello world again", new int[needed], new int[needed - 1]));
        Assert.Equal(needed, tokenizer.EncodeToIds("hello world again", new int[needed]));
    }

    [FixtureFact]
    public void The_fast_path_serves_the_BERT_pipeline_only()
    {
        foreach (var family in Fixtures.TokenizerNames())
        {
            var t = ReferenceParityTests.LoadTokenizer(family);
            var created = BertIdsFastPath.TryCreate(t.Normalizer, t.PreTokenizer, t.Model, new AddedVocabulary([], t.Model, t.Normalizer));
            Assert.Equal(family is "bert-uncased" or "bert-multilingual-cased" or "mpnet", created is not null);
        }
    }

    [FixtureFact]
    public void Concurrent_first_use_fills_the_character_table_consistently()
    {
        var texts = CorpusPassages(every: 41);
        var reference = ReferenceParityTests.LoadTokenizer("bert-multilingual-cased");
        var expected = texts.Select(t => reference.Encode(t).Ids).ToArray();
        var fresh = ReferenceParityTests.LoadTokenizer("bert-multilingual-cased");
        var results = new int[texts.Count][];
        Parallel.For(0, texts.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var ids = new int[3 * texts[i].Length + 16];
            results[i] = ids[..fresh.EncodeToIds(texts[i], ids)];
        });
        for (var i = 0; i < texts.Count; i++) Assert.Equal(expected[i], results[i]);
    }

    private static BertIdsFastPath FastPathOf(string family)
    {
        var t = ReferenceParityTests.LoadTokenizer(family);
        var added = new AddedVocabulary(t.AddedTokens, t.Model, t.Normalizer);
        return BertIdsFastPath.TryCreate(t.Normalizer, t.PreTokenizer, t.Model, added)
            ?? throw new InvalidOperationException($"{family} has no fast path");
    }

    // Every n-th passage of every corpus file (15 languages), read in place.
    private static List<string> CorpusPassages(int every) => Directory.GetFiles(Fixtures.CorpusDir, "*.jsonl")
        .Order(StringComparer.Ordinal)
        .SelectMany(f => File.ReadLines(f, System.Text.Encoding.UTF8).Where(l => l.Length > 0).Where((_, i) => i % every == 0))
        .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!)
        .ToList();
}
