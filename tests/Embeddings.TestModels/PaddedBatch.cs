namespace Embeddings.TestModels;

/// <summary>Which end of a row the padding goes to.</summary>
public enum PaddingSide
{
    /// <summary>Real tokens first, padding after (encoders).</summary>
    Right,
    /// <summary>Padding first, real tokens last (decoders, so the last position is a real token).</summary>
    Left,
}

/// <summary>
/// Sequences of different lengths padded into the flat [batch, sequence] int64 arrays a runtime takes, with
/// the bookkeeping to find each sequence's real tokens again — so that a batched run can be compared row by
/// row with a reference that sees one unpadded sequence at a time.
/// </summary>
public sealed class PaddedBatch
{
    private readonly int[] _lengths;
    private readonly int[] _offsets;

    private PaddedBatch(int batchSize, int sequenceLength, int[] lengths, int[] offsets)
    {
        BatchSize = batchSize;
        SequenceLength = sequenceLength;
        _lengths = lengths;
        _offsets = offsets;
        InputIds = new long[batchSize * sequenceLength];
        AttentionMask = new long[batchSize * sequenceLength];
        TokenTypeIds = new long[batchSize * sequenceLength];
        PositionIds = new long[batchSize * sequenceLength];
    }

    /// <summary>Rows.</summary>
    public int BatchSize { get; }

    /// <summary>Padded length of every row (the longest sequence, at least 1).</summary>
    public int SequenceLength { get; }

    /// <summary>[BatchSize × SequenceLength] token ids; padding holds the pad id.</summary>
    public long[] InputIds { get; }

    /// <summary>[BatchSize × SequenceLength]: 1 for real tokens, 0 for padding.</summary>
    public long[] AttentionMask { get; }

    /// <summary>[BatchSize × SequenceLength] segment ids as given (0 where none were given, and on padding).</summary>
    public long[] TokenTypeIds { get; }

    /// <summary>[BatchSize × SequenceLength]: 0, 1, 2, … over each row's real tokens (whatever the padding side), 1 on padding.</summary>
    public long[] PositionIds { get; }

    /// <summary>Pads <paramref name="sequences"/> into one batch.</summary>
    /// <param name="sequences">Token ids per row; a row may be empty (all padding).</param>
    /// <param name="side">Where the padding goes.</param>
    /// <param name="padId">The id written on padding.</param>
    /// <param name="tokenTypeIds">Segment ids per row, each as long as its sequence; null for zeros.</param>
    public static PaddedBatch Create(IReadOnlyList<long[]> sequences, PaddingSide side = PaddingSide.Right, long padId = 0,
        IReadOnlyList<long[]>? tokenTypeIds = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0) throw new ArgumentException("A batch needs at least one row.", nameof(sequences));
        if (tokenTypeIds is not null && tokenTypeIds.Count != sequences.Count)
            throw new ArgumentException($"{tokenTypeIds.Count} rows of token type ids for {sequences.Count} sequences.", nameof(tokenTypeIds));
        int length = Math.Max(1, sequences.Max(s => s.Length));
        var lengths = sequences.Select(s => s.Length).ToArray();
        var offsets = lengths.Select(n => side == PaddingSide.Left ? length - n : 0).ToArray();
        var batch = new PaddedBatch(sequences.Count, length, lengths, offsets);
        for (int b = 0; b < sequences.Count; b++)
        {
            if (tokenTypeIds is not null && tokenTypeIds[b].Length != lengths[b])
                throw new ArgumentException($"Row {b}: {tokenTypeIds[b].Length} token type ids for {lengths[b]} tokens.", nameof(tokenTypeIds));
            for (int t = 0; t < length; t++)
            {
                int i = b * length + t, k = t - offsets[b];
                bool real = k >= 0 && k < lengths[b];
                batch.InputIds[i] = real ? sequences[b][k] : padId;
                batch.AttentionMask[i] = real ? 1 : 0;
                batch.TokenTypeIds[i] = real && tokenTypeIds is not null ? tokenTypeIds[b][k] : 0;
                batch.PositionIds[i] = real ? k : 1;
            }
        }
        return batch;
    }

    /// <summary>Random sequences of the given lengths with ids in [<paramref name="minId"/>, <paramref name="vocab"/>), reproducible from <paramref name="seed"/>.</summary>
    /// <param name="lengths">One length per row.</param>
    /// <param name="vocab">One past the largest id.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="minId">The smallest id (e.g. to keep clear of special tokens).</param>
    public static long[][] RandomSequences(IReadOnlyList<int> lengths, int vocab, int seed, int minId = 0)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(minId, vocab);
        var random = new Random(seed);
        return lengths.Select(n => Enumerable.Range(0, n).Select(_ => (long)random.Next(minId, vocab)).ToArray()).ToArray();
    }

    /// <summary>The number of real tokens in row <paramref name="row"/>.</summary>
    /// <param name="row">The row.</param>
    public int Length(int row) => _lengths[row];

    /// <summary>The position in row <paramref name="row"/> of its first real token.</summary>
    /// <param name="row">The row.</param>
    public int Offset(int row) => _offsets[row];

    /// <summary>Row <paramref name="row"/>'s real token ids.</summary>
    /// <param name="row">The row.</param>
    public ReadOnlySpan<long> Ids(int row) => InputIds.AsSpan(row * SequenceLength + _offsets[row], _lengths[row]);

    /// <summary>Row <paramref name="row"/>'s segment ids over its real tokens.</summary>
    /// <param name="row">The row.</param>
    public ReadOnlySpan<long> TypeIds(int row) => TokenTypeIds.AsSpan(row * SequenceLength + _offsets[row], _lengths[row]);

    /// <summary>Row <paramref name="row"/>'s position ids over its real tokens.</summary>
    /// <param name="row">The row.</param>
    public ReadOnlySpan<long> Positions(int row) => PositionIds.AsSpan(row * SequenceLength + _offsets[row], _lengths[row]);

    /// <summary>
    /// The largest |actual − expected| over the real tokens of every row, where <paramref name="actual"/> is a
    /// [BatchSize, SequenceLength, width] row-major output and <paramref name="expected"/> gives a row's
    /// reference values [its tokens][width]. Padded positions are not compared (they are garbage by design).
    /// </summary>
    /// <param name="actual">The batched output.</param>
    /// <param name="width">The size of the last dimension.</param>
    /// <param name="expected">The reference for one row.</param>
    /// <exception cref="ArgumentException">The output or a reference row has the wrong size.</exception>
    public double MaxAbsDifference(ReadOnlySpan<float> actual, int width, Func<int, IReadOnlyList<double[]>> expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (actual.Length != (long)BatchSize * SequenceLength * width)
            throw new ArgumentException($"The output has {actual.Length} values; [{BatchSize}, {SequenceLength}, {width}] needs {(long)BatchSize * SequenceLength * width}.", nameof(actual));
        double worst = 0;
        for (int b = 0; b < BatchSize; b++)
        {
            if (_lengths[b] == 0) continue;
            var rows = expected(b);
            if (rows.Count != _lengths[b]) throw new ArgumentException($"Row {b}: the reference has {rows.Count} tokens, the batch {_lengths[b]}.", nameof(expected));
            for (int k = 0; k < rows.Count; k++)
            {
                if (rows[k].Length != width) throw new ArgumentException($"Row {b}, token {k}: the reference has width {rows[k].Length}, not {width}.", nameof(expected));
                var got = actual.Slice(((b * SequenceLength) + _offsets[b] + k) * width, width);
                for (int i = 0; i < width; i++) worst = Math.Max(worst, Math.Abs(got[i] - rows[k][i]));
            }
        }
        return worst;
    }

    /// <summary>
    /// The largest |actual − expected| for a pooled [BatchSize, width] output, where <paramref name="expected"/>
    /// gives a row's reference vector. Rows without tokens are not compared.
    /// </summary>
    /// <param name="actual">The batched output.</param>
    /// <param name="width">The size of the last dimension.</param>
    /// <param name="expected">The reference for one row.</param>
    /// <exception cref="ArgumentException">The output or a reference vector has the wrong size.</exception>
    public double MaxAbsDifferencePooled(ReadOnlySpan<float> actual, int width, Func<int, double[]> expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (actual.Length != (long)BatchSize * width)
            throw new ArgumentException($"The output has {actual.Length} values; [{BatchSize}, {width}] needs {(long)BatchSize * width}.", nameof(actual));
        double worst = 0;
        for (int b = 0; b < BatchSize; b++)
        {
            if (_lengths[b] == 0) continue;
            var row = expected(b);
            if (row.Length != width) throw new ArgumentException($"Row {b}: the reference has width {row.Length}, not {width}.", nameof(expected));
            for (int i = 0; i < width; i++) worst = Math.Max(worst, Math.Abs(actual[b * width + i] - row[i]));
        }
        return worst;
    }
}
