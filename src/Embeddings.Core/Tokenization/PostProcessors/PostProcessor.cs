namespace Embeddings.Tokenization.PostProcessors;

/// <summary>
/// The last stage of the pipeline: combines the encoded sequences into one encoding, adding special tokens
/// and type ids. One subclass per tokenizer.json <c>post_processor</c> type. Instances are immutable.
/// </summary>
internal abstract class PostProcessor
{
    /// <summary>Number of special tokens added to a single sequence or a pair.</summary>
    public abstract int AddedTokens(bool isPair);

    /// <summary>Processes the encodings of the sequences (one or two) into the encodings to concatenate.</summary>
    public abstract List<Encoding> ProcessEncodings(List<Encoding> encodings, bool addSpecialTokens);

    /// <summary>
    /// The single-sequence output as special tokens before the sequence, the sequence with one type id, and
    /// special tokens after it; null when the processor does not have that shape (then callers use
    /// <see cref="Process"/>).
    /// </summary>
    public virtual SingleSequenceLayout? SingleLayout(bool addSpecialTokens) => null;

    /// <summary>
    /// Labels each sequence (sequence id, type id = its index), processes them and concatenates the result.
    /// </summary>
    public Encoding Process(Encoding first, Encoding? second, bool addSpecialTokens)
    {
        var encodings = new List<Encoding>(2) { Label(first, 0) };
        if (second is not null) encodings.Add(Label(second, 1));
        return EncodingOperations.Merge(ProcessEncodings(encodings, addSpecialTokens), growingOffsets: false);
    }

    /// <summary>Concatenates the sequences without special tokens (no post-processor configured).</summary>
    public static Encoding Default(Encoding first, Encoding? second)
    {
        if (second is null) return first;
        return EncodingOperations.Merge(
            [EncodingOperations.WithSequenceId(first, 0), EncodingOperations.WithSequenceId(second, 1)], growingOffsets: false);
    }

    private static Encoding Label(Encoding e, int sequence)
    {
        e = EncodingOperations.WithSequenceId(e, sequence);
        if (e.OverflowingArray.Length > 0)
            e = EncodingOperations.WithOverflowing(e, Array.ConvertAll(e.OverflowingArray, o => EncodingOperations.WithSequenceId(o, sequence)));
        return EncodingOperations.WithTypeIds(e, sequence);
    }
}

/// <summary>How a post-processor lays out one sequence: <c>prefix + sequence + suffix</c>.</summary>
internal sealed record SingleSequenceLayout(int[] PrefixIds, int[] PrefixTypeIds, int ContentTypeId, int[] SuffixIds, int[] SuffixTypeIds)
{
    /// <summary>No special tokens, type id 0.</summary>
    public static SingleSequenceLayout Plain { get; } = new([], [], 0, [], []);

    /// <summary>Number of special tokens.</summary>
    public int Added => PrefixIds.Length + SuffixIds.Length;
}
