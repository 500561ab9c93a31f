namespace Embeddings.TestModels.Tests;

public class PaddedBatchTests
{
    private static readonly long[][] Sequences = [[5, 6, 7], [8], []];

    [Fact]
    public void Right_padding_puts_real_tokens_first()
    {
        var batch = PaddedBatch.Create(Sequences, PaddingSide.Right, padId: 0, tokenTypeIds: [[0, 1, 1], [1], []]);
        Assert.Equal((3, 3), (batch.BatchSize, batch.SequenceLength));
        Assert.Equal([5L, 6, 7, 8, 0, 0, 0, 0, 0], batch.InputIds);
        Assert.Equal([1L, 1, 1, 1, 0, 0, 0, 0, 0], batch.AttentionMask);
        Assert.Equal([0L, 1, 1, 1, 0, 0, 0, 0, 0], batch.TokenTypeIds);
        Assert.Equal([0L, 1, 2, 0, 1, 1, 1, 1, 1], batch.PositionIds);
        Assert.Equal([8L], batch.Ids(1).ToArray());
        Assert.Equal(0, batch.Offset(1));
    }

    [Fact]
    public void Left_padding_puts_real_tokens_last_and_counts_positions_from_the_first_real_token()
    {
        var batch = PaddedBatch.Create(Sequences, PaddingSide.Left, padId: 99);
        Assert.Equal([5L, 6, 7, 99, 99, 8, 99, 99, 99], batch.InputIds);
        Assert.Equal([1L, 1, 1, 0, 0, 1, 0, 0, 0], batch.AttentionMask);
        Assert.Equal([0L, 1, 2, 1, 1, 0, 1, 1, 1], batch.PositionIds);
        Assert.Equal(2, batch.Offset(1));
        Assert.Equal([8L], batch.Ids(1).ToArray());
        Assert.Equal([0L], batch.Positions(1).ToArray());
        Assert.Equal(0, batch.Length(2));
    }

    [Fact]
    public void Max_abs_difference_compares_real_tokens_only()
    {
        var batch = PaddedBatch.Create(Sequences, PaddingSide.Left);
        // [3 rows, 3 positions, width 2]; padding holds NaN, which must be ignored.
        var output = new float[18];
        Array.Fill(output, float.NaN);
        output[0] = 1; output[1] = 2; output[2] = 3; output[3] = 4; output[4] = 5; output[5] = 6; // row 0
        output[10] = 7; output[11] = 8.5f;                                                        // row 1, position 2
        double diff = batch.MaxAbsDifference(output, 2, b => b switch
        {
            0 => [[1, 2], [3, 4], [5, 6]],
            1 => [[7, 8]],
            _ => [],
        });
        Assert.Equal(0.5, diff);
        Assert.Throws<ArgumentException>(() => batch.MaxAbsDifference(new float[17], 2, _ => []));
        Assert.Throws<ArgumentException>(() => batch.MaxAbsDifference(output, 2, b => b == 0 ? [[1, 2]] : []));
    }

    [Fact]
    public void Pooled_difference_skips_empty_rows()
    {
        var batch = PaddedBatch.Create(Sequences);
        float[] pooled = [1, 2, 3, 4, float.NaN, float.NaN];
        Assert.Equal(0.25, batch.MaxAbsDifferencePooled(pooled, 2, b => b == 0 ? [1, 2] : [3, 3.75]));
    }

    [Fact]
    public void Random_sequences_are_reproducible_and_in_range()
    {
        var a = PaddedBatch.RandomSequences([4, 0, 9], vocab: 50, seed: 3, minId: 10);
        Assert.Equal([4, 0, 9], a.Select(s => s.Length));
        Assert.All(a.SelectMany(s => s), id => Assert.InRange(id, 10, 49));
        Assert.Equal(a, PaddedBatch.RandomSequences([4, 0, 9], vocab: 50, seed: 3, minId: 10));
    }

    [Fact]
    public void Mismatched_token_types_and_empty_batches_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => PaddedBatch.Create([]));
        Assert.Throws<ArgumentException>(() => PaddedBatch.Create(Sequences, tokenTypeIds: [[0, 0, 0], [0, 0], []]));
        Assert.Throws<ArgumentException>(() => PaddedBatch.Create(Sequences, tokenTypeIds: [[0, 0, 0]]));
    }
}
