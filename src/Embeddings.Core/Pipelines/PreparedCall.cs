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

    /// <summary>Per sequence, how many leading tokens the model attends to; null when all of them (the usual case).
    /// Calls that set it run on their own, never merged in the micro-batching queue.</summary>
    public virtual IReadOnlyList<int>? AttendedLengths => null;

    /// <summary>Batch limits and progress when the call runs on its own.</summary>
    public required BatchLimits Limits { get; init; }

    /// <summary>Real tokens in the call (what it costs the queue).</summary>
    public long TokenCount => Ids.Sum(ids => (long)ids.Length);

    /// <summary>Consumes sequence <paramref name="index"/>'s output rows (called once per non-empty sequence).</summary>
    public abstract void OnRow(int index, ReadOnlySpan<float> rows, ReadOnlySpan<long> mask, int width);

    /// <summary>Runs the call on its own through <paramref name="runner"/>.</summary>
    public void RunAlone(BatchRunner runner, CancellationToken cancellationToken) =>
        runner.Run(Ids, TypeIds, OutputName, Limits.MaxBatchTokens, Limits.MaxBatchSize, Limits.Progress, cancellationToken, OnRow, AttendedLengths);
}

/// <summary>A prepared call that produces a <typeparamref name="TResult"/>.</summary>
internal abstract class PreparedCall<TResult> : PreparedCall
{
    /// <summary>The result, once every sequence's rows were consumed.</summary>
    public abstract TResult Finish();
}
