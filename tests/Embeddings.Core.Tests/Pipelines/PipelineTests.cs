namespace Embeddings.Core.Tests.Pipelines;

/// <summary>Output selection, batch invariance, limits, progress and cancellation on the direct path.</summary>
public class PipelineTests
{
    private static readonly string[] Texts = Enumerable.Range(0, 13).Select(i => FakeModel.Text(1 + i * 7 % 11, i)).ToArray();

    [Fact]
    public void Embed_reads_the_pooled_output_when_the_model_has_one_and_token_calls_read_hidden_states()
    {
        using var model = new FakeModel(new FakeBackend(withPooledOutput: true));
        var result = model.Embedder.Embed(["w1 w2"], new EmbedOptions { Normalize = false });
        Assert.Equal(new[] { FakeBackend.Pooled }, model.Backend.Batches.Select(b => b.Output));
        // 100 + the mean over the two tokens (ids 3 and 4) at positions 0 and 1.
        for (int d = 0; d < FakeBackend.Width; d++)
            Assert.Equal(100 + (FakeBackend.HiddenValue(3, 0, d) + FakeBackend.HiddenValue(4, 1, d)) / 2, result[0].Span[d], 4);

        model.Backend.ClearBatches();
        var tokens = model.Embedder.EmbedTokens(["w1 w2"]);
        Assert.Equal(new[] { FakeBackend.Hidden }, model.Backend.Batches.Select(b => b.Output));
        Assert.Equal(2, tokens[0].Count);
    }

    [Fact]
    public void Embed_mean_pools_the_hidden_states_when_the_model_has_no_pooled_output()
    {
        using var model = new FakeModel(new FakeBackend());
        var result = model.Embedder.Embed(["w1 w2"], new EmbedOptions { Normalize = false });
        Assert.Equal(new[] { FakeBackend.Hidden }, model.Backend.Batches.Select(b => b.Output));
        for (int d = 0; d < FakeBackend.Width; d++)
            Assert.Equal((FakeBackend.HiddenValue(3, 0, d) + FakeBackend.HiddenValue(4, 1, d)) / 2, result[0].Span[d], 4);
    }

    [Fact]
    public void Batched_equals_single_exactly()
    {
        using var model = new FakeModel(new FakeBackend());
        var options = new EmbedOptions { Normalize = false, MaxBatchTokens = 40 };
        var batched = model.Embedder.Embed(Texts, options);
        Assert.Contains(model.Backend.Batches, b => b.Size > 1);
        for (int i = 0; i < Texts.Length; i++)
        {
            var single = model.Embedder.Embed([Texts[i]], options);
            Assert.Equal(single.ToArray(0), batched.ToArray(i));
        }
    }

    [Fact]
    public void Per_call_limits_shape_the_batches_and_progress_reaches_n_of_n()
    {
        using var model = new FakeModel(new FakeBackend());
        var progress = new ProgressLog();
        model.Embedder.Embed(Texts, new EmbedOptions { MaxBatchTokens = 30, MaxBatchSize = 3, Progress = progress });
        var batches = model.Backend.Batches;
        Assert.All(batches, b => Assert.True(b.Size <= 3 && b.Size * b.Length <= 30, $"batch {b.Size}×{b.Length}"));
        Assert.Equal(Texts.Length, batches.Sum(b => b.Size));
        Assert.Equal(new EmbeddingProgress(Texts.Length, Texts.Length), progress.Reports[^1]);
        Assert.Equal(batches.Count, progress.Reports.Count);
    }

    [Fact]
    public void A_failing_backend_surfaces_its_error()
    {
        using var model = new FakeModel(new FakeBackend { BeforeRun = _ => throw new InvalidOperationException("boom") });
        var error = Assert.Throws<InvalidOperationException>(() => model.Embedder.Embed(Texts));
        Assert.Equal("boom", error.Message);
    }

    [Fact]
    public void Cancelled_before_the_run_nothing_runs()
    {
        using var model = new FakeModel(new FakeBackend());
        Assert.ThrowsAny<OperationCanceledException>(() => model.Embedder.Embed(Texts, cancellationToken: new CancellationToken(true)));
        Assert.Empty(model.Backend.Batches);
    }

    [Fact]
    public void Cancelled_during_a_run_the_call_stops()
    {
        using var cancel = new CancellationTokenSource();
        using var model = new FakeModel(new FakeBackend
        {
            BeforeRun = token =>
            {
                cancel.Cancel();
                token.ThrowIfCancellationRequested();
            },
        });
        Assert.ThrowsAny<OperationCanceledException>(() => model.Embedder.Embed(Texts, new EmbedOptions { MaxBatchSize = 2 }, cancel.Token));
        Assert.Empty(model.Backend.Batches);
    }
}
