using System.Buffers;
using Embeddings.TestModels;
using Microsoft.ML.Tokenizers;

namespace Embeddings.Tokenizers.Tests;

/// <summary>The Microsoft.ML.Tokenizers contracts: token budgets, indexes by token count, decoding into a span, the flags.</summary>
public sealed class ContractTests
{
    public static TheoryData<string> Families() => new(Fixtures.Available ? Fixtures.TokenizerNames() : ["bert-uncased"]);

    private static IEnumerable<ReferenceCase> BudgetCases(string family) =>
        ReferenceCase.Load(family).Where(c => c.AddSpecialTokens).Where((_, i) => i % 3 == 0).Take(25);

    [FixtureTheory]
    [MemberData(nameof(Families))]
    public void A_token_budget_keeps_the_special_tokens_and_the_longest_clean_run_from_the_start(string family)
    {
        var tokenizer = ReferenceCase.Tokenizer(family);
        foreach (var c in BudgetCases(family))
        {
            var full = tokenizer.EncodeToTokens(c.Text, out _);
            var (prefix, suffix) = SpecialEnds(tokenizer, c.Text);
            var content = full.Skip(prefix).Take(full.Count - prefix - suffix).ToArray();
            for (var max = 0; max <= full.Count + 1; max++)
            {
                var ids = tokenizer.EncodeToIds(c.Text, max, out var normalized, out var charsConsumed);
                var index = tokenizer.GetIndexByTokenCount(c.Text, max, out _, out var tokenCount);
                Assert.Null(normalized);
                Assert.Equal(ids.Count, tokenCount);
                Assert.Equal(charsConsumed, index);
                Assert.Equal(ids.Count, tokenizer.CountTokens(c.Text) <= max ? full.Count : tokenCount);
                if (full.Count <= max)
                {
                    Assert.Equal(full.Select(t => t.Id), ids);
                    Assert.Equal(c.Text.Length, index);
                    continue;
                }
                Assert.True(ids.Count <= max, $"{c.Id} max {max}: {ids.Count} tokens");
                var budget = max - prefix - suffix;
                if (budget <= 0)
                {
                    Assert.Empty(ids);
                    Assert.Equal(0, index);
                    continue;
                }
                var kept = ids.Count - prefix - suffix;
                Assert.Equal(full.Take(prefix).Concat(content.Take(kept)).Concat(full.TakeLast(suffix)).Select(t => t.Id), ids);
                Assert.Equal(kept == 0 ? 0 : content.Take(kept).Max(t => t.Offset.End.Value), index);
                Assert.True(IsCleanCut(content, kept), $"{c.Id} max {max}: cut at {kept} splits a character");
                for (var longer = kept + 1; longer <= budget; longer++)
                    Assert.False(IsCleanCut(content, longer), $"{c.Id} max {max}: {longer} tokens would fit");
            }
        }
    }

    [FixtureTheory]
    [MemberData(nameof(Families))]
    public void A_token_budget_from_the_end_keeps_the_longest_clean_run_of_last_tokens(string family)
    {
        var tokenizer = ReferenceCase.Tokenizer(family);
        foreach (var c in BudgetCases(family))
        {
            var full = tokenizer.EncodeToTokens(c.Text, out _);
            var (prefix, suffix) = SpecialEnds(tokenizer, c.Text);
            var content = full.Skip(prefix).Take(full.Count - prefix - suffix).ToArray();
            for (var max = 0; max <= full.Count + 1; max++)
            {
                var index = tokenizer.GetIndexByTokenCountFromEnd(c.Text, max, out var normalized, out var tokenCount);
                Assert.Null(normalized);
                if (full.Count <= max)
                {
                    Assert.Equal(0, index);
                    Assert.Equal(full.Count, tokenCount);
                    continue;
                }
                var budget = max - prefix - suffix;
                if (budget <= 0)
                {
                    Assert.Equal(c.Text.Length, index);
                    Assert.Equal(0, tokenCount);
                    continue;
                }
                var kept = tokenCount - prefix - suffix;
                Assert.InRange(kept, 0, budget);
                var tail = content.Skip(content.Length - kept).ToArray();
                Assert.Equal(kept == 0 ? c.Text.Length : tail.Min(t => t.Offset.Start.Value), index);
                Assert.True(IsCleanCut(content, content.Length - kept), $"{c.Id} max {max}: cut splits a character");
                for (var longer = kept + 1; longer <= budget; longer++)
                    Assert.False(IsCleanCut(content, content.Length - longer), $"{c.Id} max {max}: {longer} tokens would fit");
            }
        }
    }

    [FixtureFact]
    public void Special_tokens_are_counted_and_can_be_left_out()
    {
        var tokenizer = ReferenceCase.Tokenizer("bert-uncased");
        Assert.Equal([101, 7592, 2088, 102], tokenizer.EncodeToIds("Hello world"));
        Assert.Equal([7592, 2088], tokenizer.EncodeToIds("Hello world", addSpecialTokens: false));
        Assert.Equal(2, tokenizer.CountTokens("Hello world", addSpecialTokens: false));

        var plain = HuggingFaceTokenizer.Create(ReferenceCase.TokenizerJson("bert-uncased"), addSpecialTokens: false);
        Assert.Equal([7592, 2088], plain.EncodeToIds("Hello world"));
        Assert.Equal(5, plain.GetIndexByTokenCount("Hello world", 1, out _, out var plainCount));
        Assert.Equal(1, plainCount);
        Assert.Equal(6, plain.GetIndexByTokenCountFromEnd("Hello world", 1, out _, out _));
        // With special tokens, [CLS] and [SEP] take two of the three.
        Assert.Equal(5, tokenizer.GetIndexByTokenCount("Hello world", 3, out _, out var count));
        Assert.Equal(3, count);
    }

    [FixtureFact]
    public void Normalization_and_pre_tokenization_can_be_skipped()
    {
        var tokenizer = ReferenceCase.Tokenizer("bert-uncased");
        // The uncased normalizer lowercases: without it, capitals are not in the vocabulary.
        Assert.NotEqual(tokenizer.EncodeToIds("HELLO"), tokenizer.EncodeToIds("HELLO", considerNormalization: false));
        Assert.Equal(tokenizer.EncodeToIds("hello world"), tokenizer.EncodeToIds("hello world", considerNormalization: false));
        // Without the pre-tokenizer, the space is not a split: WordPiece sees one word.
        Assert.NotEqual(tokenizer.EncodeToIds("hello world"), tokenizer.EncodeToIds("hello world", considerPreTokenization: false));
        Assert.Null(tokenizer.Normalizer);
        Assert.Null(tokenizer.PreTokenizer);
    }

    [FixtureTheory]
    [MemberData(nameof(Families))]
    public void Decoding_into_a_short_span_writes_the_longest_prefix_that_fits(string family)
    {
        var tokenizer = ReferenceCase.Tokenizer(family);
        foreach (var c in ReferenceCase.Load(family).Where(c => c.Ids.Length > 3).Take(20))
        {
            var text = tokenizer.Decode(c.Ids);
            var exact = new char[text.Length];
            Assert.Equal(OperationStatus.Done, tokenizer.Decode(c.Ids, exact, out var consumed, out var written));
            Assert.Equal((c.Ids.Length, text.Length), (consumed, written));
            Assert.Equal(text, new string(exact));

            var shorter = new char[text.Length / 2];
            Assert.Equal(OperationStatus.DestinationTooSmall, tokenizer.Decode(c.Ids, shorter, out consumed, out written));
            Assert.InRange(written, 0, shorter.Length);
            Assert.Equal(tokenizer.Decode(c.Ids.Take(consumed)), new string(shorter, 0, written));
        }
    }

    [FixtureFact]
    public void Bad_arguments_are_refused()
    {
        var tokenizer = ReferenceCase.Tokenizer("bert-uncased");
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.EncodeToIds("text", -1, out _, out _));
        Assert.Throws<ArgumentNullException>(() => tokenizer.Decode(null!));
        Assert.Throws<FileNotFoundException>(() => HuggingFaceTokenizer.Create(Path.Combine(Fixtures.TokenizerDir("bert-uncased"), "missing.json")));
        using var notJson = new MemoryStream("not json"u8.ToArray());
        Assert.Throws<Embeddings.Tokenization.TokenizerFormatException>(() => HuggingFaceTokenizer.Create(notJson));
    }

    // How many leading and trailing tokens the post-processor adds to this text.
    private static (int Prefix, int Suffix) SpecialEnds(HuggingFaceTokenizer tokenizer, string text)
    {
        var sequenceIds = tokenizer.Underlying.Encode(text).SequenceIds;
        var prefix = sequenceIds.TakeWhile(s => s is null).Count();
        var suffix = sequenceIds.Skip(prefix).Reverse().TakeWhile(s => s is null).Count();
        return (prefix, suffix);
    }

    // Cutting after `count` content tokens leaves no character shared between the two sides.
    private static bool IsCleanCut(IReadOnlyList<EncodedToken> content, int count)
    {
        if (count <= 0 || count >= content.Count) return true;
        var end = content.Take(count).Max(t => t.Offset.End.Value);
        return content.Skip(count).All(t => t.Offset.Start.Value >= end);
    }
}
