using Embeddings.Inference;

namespace Embeddings.Compare;

/// <summary>
/// Passes every run to the real backend and, during <see cref="Record"/>, keeps a copy of each batch exactly as
/// the library built it (sorted, padded, with its mask). Replaying those copies through the bare
/// backend, or exporting them to the Node floor, measures the runtime on the very batches the library ran.
/// </summary>
internal sealed class RecordingBackend(IInferenceBackend inner) : IInferenceBackend
{
    private List<RecordedBatch>? _recording;

    /// <summary>The output the library asked for (the last one seen).</summary>
    public string? OutputName { get; private set; }

    public ModelSignature Signature => inner.Signature;

    public InferenceOutput Run(InferenceBatch batch, string outputName, CancellationToken cancellationToken = default)
    {
        OutputName = outputName;
        _recording?.Add(RecordedBatch.Copy(batch));
        return inner.Run(batch, outputName, cancellationToken);
    }

    /// <summary>Runs <paramref name="pass"/> and returns a copy of every batch it ran, in run order.</summary>
    public RecordedBatch[] Record(Action pass)
    {
        _recording = [];
        try
        {
            pass();
            return [.. _recording];
        }
        finally
        {
            _recording = null;
        }
    }

    /// <summary>Runs <paramref name="pass"/> and returns its result with a copy of every batch it ran.</summary>
    public (T Result, RecordedBatch[] Batches) Record<T>(Func<T> pass)
    {
        T result = default!;
        var batches = Record(() => { result = pass(); });
        return (result, batches);
    }

    public void Dispose() => inner.Dispose();
}

/// <summary>A private copy of one <see cref="InferenceBatch"/>.</summary>
internal sealed record RecordedBatch(int BatchSize, int SequenceLength, long[] InputIds, long[] AttentionMask, long[]? TokenTypeIds, long[]? PositionIds)
{
    public static RecordedBatch Copy(InferenceBatch batch) => new(batch.BatchSize, batch.SequenceLength,
        batch.InputIds.ToArray(), batch.AttentionMask.ToArray(),
        batch.TokenTypeIds.IsEmpty ? null : batch.TokenTypeIds.ToArray(),
        batch.PositionIds.IsEmpty ? null : batch.PositionIds.ToArray());

    /// <summary>Padded positions: size × length.</summary>
    public long PaddedTokens => (long)BatchSize * SequenceLength;

    /// <summary>Real (unmasked) tokens.</summary>
    public long RealTokens => AttentionMask.LongCount(m => m != 0);

    public InferenceBatch ToBatch() => new(BatchSize, SequenceLength, InputIds, AttentionMask,
        TokenTypeIds ?? Memory<long>.Empty, PositionIds ?? Memory<long>.Empty);
}
