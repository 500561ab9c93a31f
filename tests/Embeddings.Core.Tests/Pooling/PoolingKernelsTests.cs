using Embeddings.Pooling;

namespace Embeddings.Core.Tests.Pooling;

public class PoolingKernelsTests
{
    private const int T = 7, H = 37; // odd sizes exercise the SIMD tails

    private static (float[] Hidden, long[] Mask) Sequence(int seed, params long[] mask)
    {
        var random = new Random(seed);
        var hidden = new float[mask.Length * H];
        for (int i = 0; i < hidden.Length; i++) hidden[i] = (float)(random.NextDouble() * 4 - 2);
        return (hidden, mask);
    }

    // Plain scalar references, written for clarity rather than speed.
    private static float[] ScalarMean(float[] h, long[] m, int skip, bool sqrt)
    {
        var sum = new double[H];
        int n = 0, seen = 0;
        for (int t = 0; t < m.Length; t++)
        {
            if (m[t] == 0 || ++seen <= skip) continue;
            n++;
            for (int d = 0; d < H; d++) sum[d] += h[t * H + d];
        }
        return sum.Select(s => n == 0 ? 0f : (float)(s / (sqrt ? Math.Sqrt(n) : n))).ToArray();
    }

    private static float[] ScalarWeighted(float[] h, long[] m, int skip)
    {
        var sum = new double[H];
        double weights = 0;
        int position = 0;
        for (int t = 0; t < m.Length; t++)
        {
            if (m[t] == 0) continue;
            position++;
            if (position <= skip) continue;
            weights += position;
            for (int d = 0; d < H; d++) sum[d] += position * (double)h[t * H + d];
        }
        return sum.Select(s => weights == 0 ? 0f : (float)(s / weights)).ToArray();
    }

    private static float[] ScalarMax(float[] h, long[] m, int skip)
    {
        var max = Enumerable.Repeat(float.NegativeInfinity, H).ToArray();
        int seen = 0;
        for (int t = 0; t < m.Length; t++)
        {
            if (m[t] == 0 || ++seen <= skip) continue;
            for (int d = 0; d < H; d++) max[d] = Math.Max(max[d], h[t * H + d]);
        }
        return max.Select(v => float.IsNegativeInfinity(v) ? 0f : v).ToArray();
    }

    private static float[] Row(float[] h, int t) => h.AsSpan(t * H, H).ToArray();

    public static TheoryData<long[], int> Masks() => new()
    {
        { new long[] { 1, 1, 1, 1, 1, 1, 1 }, 0 },
        { new long[] { 1, 1, 1, 1, 0, 0, 0 }, 0 },   // right padding
        { new long[] { 0, 0, 1, 1, 1, 1, 1 }, 0 },   // left padding
        { new long[] { 1, 1, 1, 1, 1, 0, 0 }, 2 },   // prompt excluded
        { new long[] { 0, 1, 1, 1, 1, 1, 1 }, 3 },
        { new long[] { 1, 0, 0, 0, 0, 0, 0 }, 0 },
    };

    [Theory]
    [MemberData(nameof(Masks))]
    public void Mean_matches_scalar_reference(long[] maskValues, int skip)
    {
        var (hidden, mask) = Sequence(1, maskValues);
        var got = new float[H];
        PoolingKernels.Mean(hidden, mask, H, got, skip);
        AssertClose(ScalarMean(hidden, mask, skip, sqrt: false), got);
    }

    [Theory]
    [MemberData(nameof(Masks))]
    public void MeanSqrtLength_matches_scalar_reference(long[] maskValues, int skip)
    {
        var (hidden, mask) = Sequence(2, maskValues);
        var got = new float[H];
        PoolingKernels.MeanSqrtLength(hidden, mask, H, got, skip);
        AssertClose(ScalarMean(hidden, mask, skip, sqrt: true), got);
    }

    [Theory]
    [MemberData(nameof(Masks))]
    public void WeightedMean_matches_scalar_reference(long[] maskValues, int skip)
    {
        var (hidden, mask) = Sequence(3, maskValues);
        var got = new float[H];
        PoolingKernels.WeightedMean(hidden, mask, H, got, skip);
        AssertClose(ScalarWeighted(hidden, mask, skip), got);
    }

    [Theory]
    [MemberData(nameof(Masks))]
    public void Max_matches_scalar_reference(long[] maskValues, int skip)
    {
        var (hidden, mask) = Sequence(4, maskValues);
        var got = new float[H];
        PoolingKernels.Max(hidden, mask, H, got, skip);
        Assert.Equal(ScalarMax(hidden, mask, skip), got);
    }

    [Fact]
    public void Cls_takes_the_first_real_token_under_either_padding()
    {
        var (hidden, _) = Sequence(5, new long[T]);
        var got = new float[H];
        PoolingKernels.Cls(hidden, new long[] { 1, 1, 1, 0, 0, 0, 0 }, H, got);
        Assert.Equal(Row(hidden, 0), got);
        PoolingKernels.Cls(hidden, new long[] { 0, 0, 0, 1, 1, 1, 1 }, H, got);
        Assert.Equal(Row(hidden, 3), got);
    }

    [Fact]
    public void LastToken_takes_the_last_real_token_under_either_padding()
    {
        var (hidden, _) = Sequence(6, new long[T]);
        var got = new float[H];
        PoolingKernels.LastToken(hidden, new long[] { 1, 1, 1, 0, 0, 0, 0 }, H, got);
        Assert.Equal(Row(hidden, 2), got);
        PoolingKernels.LastToken(hidden, new long[] { 0, 0, 0, 1, 1, 1, 1 }, H, got);
        Assert.Equal(Row(hidden, 6), got);
    }

    [Fact]
    public void A_sequence_without_real_tokens_pools_to_zeros()
    {
        var (hidden, mask) = Sequence(7, new long[T]);
        var got = Enumerable.Repeat(9f, H).ToArray();
        foreach (var kernel in new Action<float[]>[]
                 {
                     d => PoolingKernels.Mean(hidden, mask, H, d), d => PoolingKernels.Max(hidden, mask, H, d),
                     d => PoolingKernels.Cls(hidden, mask, H, d), d => PoolingKernels.LastToken(hidden, mask, H, d),
                     d => PoolingKernels.WeightedMean(hidden, mask, H, d), d => PoolingKernels.MeanSqrtLength(hidden, mask, H, d),
                 })
        {
            Array.Fill(got, 9f);
            kernel(got);
            Assert.All(got, v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public void Padding_does_not_change_a_single_bit()
    {
        // The same real tokens with and without surrounding padding pool to identical bits.
        var (hidden, _) = Sequence(8, new long[T]);
        var padded = new float[(T + 5) * H];
        hidden.CopyTo(padded, 0);
        for (int i = T * H; i < padded.Length; i++) padded[i] = 1e6f; // garbage in pads
        var mask = Enumerable.Repeat(1L, T).Concat(Enumerable.Repeat(0L, 5)).ToArray();
        var alone = new float[H];
        var inBatch = new float[H];
        PoolingKernels.Mean(hidden, Enumerable.Repeat(1L, T).ToArray(), H, alone);
        PoolingKernels.Mean(padded, mask, H, inBatch);
        Assert.Equal(alone, inBatch);
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        var hidden = new float[T * H];
        Assert.Throws<ArgumentException>(() => PoolingKernels.Mean(hidden, new long[T - 1], H, new float[H]));
        Assert.Throws<ArgumentException>(() => PoolingKernels.Mean(hidden, new long[T], H, new float[H - 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => PoolingKernels.Mean(hidden, new long[T], 0, new float[H]));
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"dimension {i}: expected {expected[i]}, got {actual[i]}");
    }
}
