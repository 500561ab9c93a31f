namespace Embeddings.Inference;

/// <summary>
/// A padded batch in the layout transformer runtimes read: every array is [<see cref="BatchSize"/>,
/// <see cref="SequenceLength"/>] row-major int64. The buffers belong to the caller and may be longer
/// than needed; only the first <c>BatchSize × SequenceLength</c> elements are read.
/// </summary>
/// <remarks>
/// Backends feed only the inputs their model declares (<see cref="ModelSignature.Inputs"/>); the
/// others may be left empty.
/// </remarks>
public sealed class InferenceBatch
{
    /// <summary>Creates a batch over caller-owned buffers.</summary>
    /// <param name="batchSize">Number of sequences (≥ 1).</param>
    /// <param name="sequenceLength">Padded length of every sequence (≥ 1).</param>
    /// <param name="inputIds">Token ids.</param>
    /// <param name="attentionMask">1 for real tokens, 0 for padding.</param>
    /// <param name="tokenTypeIds">Segment ids (zeros for single texts); may be empty if the model has no such input.</param>
    /// <param name="positionIds">Position ids; may be empty if the model has no such input.</param>
    public InferenceBatch(int batchSize, int sequenceLength, Memory<long> inputIds, Memory<long> attentionMask,
        Memory<long> tokenTypeIds = default, Memory<long> positionIds = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        long needed = (long)batchSize * sequenceLength;
        if (needed > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(sequenceLength), "batchSize × sequenceLength exceeds the largest buffer .NET can hold.");
        RequireLength(inputIds, needed, nameof(inputIds));
        RequireLength(attentionMask, needed, nameof(attentionMask));
        if (!tokenTypeIds.IsEmpty) RequireLength(tokenTypeIds, needed, nameof(tokenTypeIds));
        if (!positionIds.IsEmpty) RequireLength(positionIds, needed, nameof(positionIds));
        BatchSize = batchSize;
        SequenceLength = sequenceLength;
        InputIds = inputIds[..(int)needed];
        AttentionMask = attentionMask[..(int)needed];
        TokenTypeIds = tokenTypeIds.IsEmpty ? tokenTypeIds : tokenTypeIds[..(int)needed];
        PositionIds = positionIds.IsEmpty ? positionIds : positionIds[..(int)needed];
    }

    /// <summary>Number of sequences.</summary>
    public int BatchSize { get; }

    /// <summary>Padded length of every sequence.</summary>
    public int SequenceLength { get; }

    /// <summary>Token ids, [BatchSize, SequenceLength].</summary>
    public Memory<long> InputIds { get; }

    /// <summary>Attention mask, [BatchSize, SequenceLength]: 1 real, 0 padding.</summary>
    public Memory<long> AttentionMask { get; }

    /// <summary>Segment ids, [BatchSize, SequenceLength], or empty.</summary>
    public Memory<long> TokenTypeIds { get; }

    /// <summary>Position ids, [BatchSize, SequenceLength], or empty.</summary>
    public Memory<long> PositionIds { get; }

    private static void RequireLength(Memory<long> buffer, long needed, string name)
    {
        if (buffer.Length < needed)
            throw new ArgumentException($"The buffer holds {buffer.Length} elements; the batch needs {needed}.", name);
    }
}
