using Embeddings.Tokenization;

namespace Embeddings.Core.Tests.Tokenization;

/// <summary>
/// Truncation strategies, directions and strides, and padding, with the reference's semantics: the model stops
/// tokenizing once max_length tokens exist (so overflowing windows only cover what was tokenized), the budget
/// excludes special tokens, and LongestFirst splits it between a pair.
/// </summary>
public sealed class TruncationPaddingTests
{
    private static readonly Tokenizer Bert = Probe.Tokenizer(
        Probe.WordLevel(["[UNK]", "[CLS]", "[SEP]", "[PAD]", .. Enumerable.Range(0, 10).Select(i => $"w{i}")]),
        preTokenizer: """{"type": "WhitespaceSplit"}""",
        postProcessor: """{"type": "BertProcessing", "sep": ["[SEP]", 2], "cls": ["[CLS]", 1]}""");

    private static string Words(int from, int count) => string.Join(' ', Enumerable.Range(from, count).Select(i => $"w{i}"));

    private static EncodeOptions Truncate(int maxLength, PairTruncationStrategy strategy = PairTruncationStrategy.LongestFirst,
        SequenceSide direction = SequenceSide.Right, int stride = 0) =>
        new() { Truncation = new TruncationOptions(maxLength, strategy, direction, stride) };

    [Fact]
    public void Right_truncation_with_stride_yields_overlapping_windows_of_what_was_tokenized()
    {
        var e = Bert.Encode(Words(0, 10), Truncate(6, stride: 2));
        Assert.Equal(["[CLS]", "w0", "w1", "w2", "w3", "[SEP]"], e.Tokens);
        Assert.True(e.WasTruncated);
        var window = Assert.Single(e.Overflowing);
        Assert.Equal(["[CLS]", "w2", "w3", "w4", "w5", "[SEP]"], window.Tokens);
    }

    [Fact]
    public void Left_truncation_keeps_the_end()
    {
        var e = Bert.Encode(Words(0, 10), Truncate(6, direction: SequenceSide.Left));
        Assert.Equal(["[CLS]", "w6", "w7", "w8", "w9", "[SEP]"], e.Tokens);
        Assert.Equal(["[CLS]", "w4", "w5", "[SEP]"], Assert.Single(e.Overflowing).Tokens);
    }

    [Fact]
    public void Longest_first_splits_the_budget_of_a_pair()
    {
        var e = Bert.Encode(Words(0, 10), Words(0, 4), Truncate(8));
        Assert.Equal(["[CLS]", "w0", "w1", "w2", "[SEP]", "w0", "w1", "[SEP]"], e.Tokens);
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1], e.TypeIds);
    }

    [Fact]
    public void Only_first_and_only_second_truncate_one_sequence()
    {
        var first = Bert.Encode(Words(0, 10), Words(0, 4), Truncate(8, PairTruncationStrategy.OnlyFirst));
        Assert.Equal(["[CLS]", "w0", "[SEP]", "w0", "w1", "w2", "w3", "[SEP]"], first.Tokens);
        var second = Bert.Encode(Words(0, 2), Words(0, 6), Truncate(8, PairTruncationStrategy.OnlySecond));
        Assert.Equal(["[CLS]", "w0", "w1", "[SEP]", "w0", "w1", "w2", "[SEP]"], second.Tokens);
    }

    [Fact]
    public void Impossible_truncation_settings_are_reported()
    {
        Assert.Throws<ArgumentException>(() => Bert.Encode(Words(0, 10), Words(0, 4), Truncate(8, PairTruncationStrategy.OnlySecond)));
        Assert.Throws<ArgumentException>(() => Bert.Encode(Words(0, 10), Truncate(8, PairTruncationStrategy.OnlySecond)));
        Assert.Throws<ArgumentException>(() => Bert.Encode(Words(0, 10), Truncate(4, stride: 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TruncationOptions(-1));
    }

    [Fact]
    public void A_limit_below_the_special_tokens_keeps_only_the_special_tokens()
    {
        var e = Bert.Encode(Words(0, 3), Truncate(1));
        Assert.Equal(["[CLS]", "[SEP]"], e.Tokens);
        Assert.True(e.WasTruncated);
    }

    [Fact]
    public void Padding_fills_to_a_fixed_length_on_either_side()
    {
        var right = Bert.Encode("w0 w1", new EncodeOptions { Padding = new PaddingOptions(fixedLength: 7, padId: 3, padTypeId: 1, padToken: "[PAD]") });
        Assert.Equal([1, 4, 5, 2, 3, 3, 3], right.Ids);
        Assert.Equal([1, 1, 1, 1, 0, 0, 0], right.AttentionMask);
        Assert.Equal([1, 0, 0, 1, 1, 1, 1], right.SpecialTokensMask);
        Assert.Equal([0, 0, 0, 0, 1, 1, 1], right.TypeIds);
        Assert.Equal([null, 0, 0, null, null, null, null], right.SequenceIds);
        Assert.Equal("[PAD]", right.Tokens[^1]);

        var left = Bert.Encode("w0 w1", new EncodeOptions { Padding = new PaddingOptions(fixedLength: 6, direction: SequenceSide.Left, padId: 3) });
        Assert.Equal([3, 3, 1, 4, 5, 2], left.Ids);
        Assert.Equal([null, null, null, 0, 0, null], left.SequenceIds);
        Assert.Equal([(0, 0), (0, 0), (0, 0), (0, 2), (3, 5), (0, 0)], left.Offsets.Select(o => (o.Start, o.End)));
    }

    [Fact]
    public void Padding_rounds_up_to_a_multiple_and_pads_overflowing_windows()
    {
        Assert.Equal(8, Bert.Encode("w0 w1", new EncodeOptions { Padding = new PaddingOptions(padToMultipleOf: 8) }).Length);
        Assert.Equal(4, Bert.Encode("w0 w1", new EncodeOptions { Padding = new PaddingOptions() }).Length);
        var e = Bert.Encode(Words(0, 10), new EncodeOptions { Truncation = new TruncationOptions(6), Padding = new PaddingOptions(fixedLength: 6) });
        Assert.All(e.Overflowing, o => Assert.Equal(6, o.Length));
        Assert.Equal(10, new PaddingOptions(padToMultipleOf: 5).TargetLength(9));
        Assert.Equal(12, new PaddingOptions(fixedLength: 12).TargetLength(3));
    }
}
