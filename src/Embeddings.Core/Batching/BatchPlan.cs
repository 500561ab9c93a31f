namespace Embeddings.Batching;

/// <summary>One planned batch: a run of <see cref="BatchPlan.Order"/> padded to one length.</summary>
/// <param name="Start">First position in <see cref="BatchPlan.Order"/>.</param>
/// <param name="Count">Number of sequences.</param>
/// <param name="SequenceLength">The padded length: the longest member's length.</param>
internal readonly record struct PlannedBatch(int Start, int Count, int SequenceLength)
{
    /// <summary>The padded area, Count × SequenceLength: what the budget limits.</summary>
    public long PaddedTokens => (long)Count * SequenceLength;
}

/// <summary>
/// The batches for a set of sequences: the sequences sorted by length, cut into runs whose padded area
/// (count × longest length) stays within a token budget, so that batches pad little and memory is bounded
/// by the budget rather than by the input.
/// </summary>
internal sealed class BatchPlan
{
    private BatchPlan(int[] order, PlannedBatch[] batches)
    {
        Order = order;
        Batches = batches;
    }

    /// <summary>Sequence indexes sorted by length (ties keep input order).</summary>
    public IReadOnlyList<int> Order { get; }

    /// <summary>The batches, in execution order.</summary>
    public IReadOnlyList<PlannedBatch> Batches { get; }

    /// <summary>Plans batches for sequences of the given lengths.</summary>
    /// <param name="lengths">Token count of each sequence.</param>
    /// <param name="maxBatchTokens">Budget of padded tokens per batch (count × longest length). A sequence longer
    /// than the budget still runs, alone.</param>
    /// <param name="maxBatchSize">Most sequences per batch.</param>
    public static BatchPlan Create(ReadOnlySpan<int> lengths, int maxBatchTokens, int maxBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchTokens, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        var order = new int[lengths.Length];
        var keys = new long[lengths.Length];
        for (int i = 0; i < order.Length; i++)
        {
            if (lengths[i] < 0) throw new ArgumentOutOfRangeException(nameof(lengths), $"length {i} is negative.");
            order[i] = i;
            // Length in the high bits, index in the low bits: a stable sort from an unstable one.
            keys[i] = ((long)lengths[i] << 32) | (uint)i;
        }
        Array.Sort(keys, order);

        var batches = new List<PlannedBatch>();
        int start = 0;
        while (start < order.Length)
        {
            int count = 1;
            int longest = Math.Max(1, lengths[order[start]]);
            while (start + count < order.Length && count < maxBatchSize)
            {
                int next = Math.Max(longest, lengths[order[start + count]]);
                if ((long)(count + 1) * next > maxBatchTokens) break;
                longest = next;
                count++;
            }
            batches.Add(new PlannedBatch(start, count, longest));
            start += count;
        }
        return new BatchPlan(order, batches.ToArray());
    }
}
