using Embeddings.Inference;

namespace Embeddings.Onnx.Tests.Support;

/// <summary>Builds padded batches by hand.</summary>
internal static class Batches
{
    /// <summary>One unpadded sequence.</summary>
    public static InferenceBatch Single(long[] ids) => Padded([ids], padLeft: false, padId: 0);

    /// <summary>Sequences padded to the longest with <paramref name="padId"/>, on the right or the left; mask 0 on padding.</summary>
    public static InferenceBatch Padded(IReadOnlyList<long[]> sequences, bool padLeft, long padId)
    {
        int length = sequences.Max(s => s.Length);
        var ids = new long[sequences.Count * length];
        var mask = new long[ids.Length];
        for (int row = 0; row < sequences.Count; row++)
        {
            var sequence = sequences[row];
            int start = padLeft ? length - sequence.Length : 0;
            for (int t = 0; t < length; t++)
            {
                bool real = t >= start && t < start + sequence.Length;
                ids[row * length + t] = real ? sequence[t - start] : padId;
                mask[row * length + t] = real ? 1 : 0;
            }
        }
        return new InferenceBatch(sequences.Count, length, ids, mask);
    }

    /// <summary>A batch of <paramref name="batchSize"/> rows of <paramref name="length"/> made-up ids, all real tokens.</summary>
    public static InferenceBatch Synthetic(int batchSize, int length)
    {
        var ids = new long[batchSize * length];
        var mask = new long[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            // Ordinary word-piece ids of the bert-uncased vocabulary, [CLS]/[SEP] at the ends of each row.
            int t = i % length;
            ids[i] = t == 0 ? 101 : t == length - 1 ? 102 : 1000 + (i * 7919 % 20000);
            mask[i] = 1;
        }
        return new InferenceBatch(batchSize, length, ids, mask);
    }

    /// <summary>The largest absolute difference between two equally long spans.</summary>
    public static float MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        float max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }
}
