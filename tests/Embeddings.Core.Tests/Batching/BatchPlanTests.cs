using Embeddings.Batching;

namespace Embeddings.Core.Tests.Batching;

public class BatchPlanTests
{
    [Fact]
    public void Every_sequence_is_planned_exactly_once()
    {
        var random = new Random(11);
        int[] lengths = Enumerable.Range(0, 1000).Select(_ => random.Next(0, 600)).ToArray();
        var plan = BatchPlan.Create(lengths, maxBatchTokens: 4096, maxBatchSize: 64);
        Assert.Equal(Enumerable.Range(0, lengths.Length), plan.Order.Order());
        Assert.Equal(lengths.Length, plan.Batches.Sum(b => b.Count));
        int expectedStart = 0;
        foreach (var batch in plan.Batches)
        {
            Assert.Equal(expectedStart, batch.Start);
            expectedStart += batch.Count;
        }
    }

    [Fact]
    public void Batches_respect_the_budget_and_pad_to_their_longest_member()
    {
        var random = new Random(12);
        int[] lengths = Enumerable.Range(0, 500).Select(_ => random.Next(1, 300)).ToArray();
        var plan = BatchPlan.Create(lengths, maxBatchTokens: 2000, maxBatchSize: 32);
        foreach (var batch in plan.Batches)
        {
            var members = Enumerable.Range(batch.Start, batch.Count).Select(i => lengths[plan.Order[i]]).ToArray();
            Assert.Equal(members.Max(), batch.SequenceLength);
            Assert.True(batch.Count <= 32);
            Assert.True(batch.PaddedTokens <= 2000 || batch.Count == 1, $"batch at {batch.Start} uses {batch.PaddedTokens} tokens");
        }
    }

    [Fact]
    public void Order_is_by_length_and_stable()
    {
        int[] lengths = [5, 3, 5, 1, 3];
        var plan = BatchPlan.Create(lengths, 100, 100);
        Assert.Equal(new[] { 3, 1, 4, 0, 2 }, plan.Order);
    }

    [Fact]
    public void A_sequence_over_the_budget_runs_alone()
    {
        int[] lengths = [10, 900, 10];
        var plan = BatchPlan.Create(lengths, 100, 100);
        Assert.Contains(plan.Batches, b => b.Count == 1 && b.SequenceLength == 900);
    }

    [Fact]
    public void Sorting_keeps_padding_low_on_mixed_lengths()
    {
        var random = new Random(13);
        int[] lengths = Enumerable.Range(0, 2000).Select(_ => random.Next(5, 400)).ToArray();
        var plan = BatchPlan.Create(lengths, BatchingDefaults.MaxBatchTokens, BatchingDefaults.MaxBatchSize);
        double padded = plan.Batches.Sum(b => (double)b.PaddedTokens);
        Assert.True(padded / lengths.Sum() < 1.1, $"padding ratio {padded / lengths.Sum():F3}");
    }

    [Fact]
    public void Invalid_limits_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchPlan.Create([1], 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchPlan.Create([1], 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchPlan.Create([-1], 10, 1));
    }
}
