using Embeddings.Batching;

namespace Embeddings.Pipelines;

/// <summary>
/// One embedding call after tokenization, waiting for model outputs: the token sequences to run, what to
/// do with each sequence's output rows, and how to assemble the result. Running it directly and running
/// it merged with other calls in the micro-batching queue use the same three steps.
/// </summary>
internal abstract class PreparedCall
{
    /// <summary>Token ids per sequence.</summary>
    public abstract IReadOnlyList<int[]> Ids { get; }

    /// <summary>Segment ids per sequence.</summary>
    public abstract IReadOnlyList<int[]> TypeIds { get; }

    /// <summary>The model output the call reads.</summary>
    public abstract string OutputName { get; }

    /// <summary>Padded-token budget per batch when the call runs on its own.</summary>
    public required int MaxBatchTokens { get; init; }

    /// <summary>Most sequences per batch when the call runs on its own.</summary>
    public required int MaxBatchSize { get; init; }

    /// <summary>Progress after each batch when the call runs on its own.</summary>
    public IProgress<EmbeddingProgress>? Progress { get; init; }

    /// <summary>Real tokens in the call (what it costs the queue).</summary>
    public long TokenCount => Ids.Sum(ids => (long)ids.Length);

    /// <summary>Consumes sequence <paramref name="index"/>'s output rows (called once per non-empty sequence).</summary>
    public abstract void OnRow(int index, ReadOnlySpan<float> rows, ReadOnlySpan<long> mask, int width);

    /// <summary>Runs the call on its own through <paramref name="runner"/>.</summary>
    public void RunAlone(BatchRunner runner, CancellationToken cancellationToken) =>
        runner.Run(Ids, TypeIds, OutputName, MaxBatchTokens, MaxBatchSize, Progress, cancellationToken, OnRow);
}

/// <summary>A prepared call that produces a <typeparamref name="TResult"/>.</summary>
internal abstract class PreparedCall<TResult> : PreparedCall
{
    /// <summary>The result, once every sequence's rows were consumed.</summary>
    public abstract TResult Finish();
}
