namespace Embeddings.Tokenization;

/// <summary>Where a token comes from: UTF-16 indexes <c>[Start, End)</c> into the text it was encoded from.</summary>
/// <param name="Start">First UTF-16 index.</param>
/// <param name="End">One past the last UTF-16 index.</param>
public readonly record struct TokenOffset(int Start, int End)
{
    /// <summary>Number of UTF-16 units covered.</summary>
    public int Length => End - Start;
}

/// <summary>
/// The result of encoding one text or text pair: parallel arrays with one entry per token, plus the windows
/// truncation cut off. Offsets of the first sequence index into the first text, those of the second sequence
/// into the pair text; special and padding tokens have offsets (0, 0).
/// </summary>
/// <remarks>
/// The arrays are owned by this instance and handed out as they are, without copies; treat them as read-only.
/// Instances are not modified after construction and may be read from several threads.
/// </remarks>
public sealed class Encoding
{
    private static readonly Encoding[] NoOverflow = [];
    private int?[]? _sequenceIds;

    internal Encoding(
        int[] ids, int[] typeIds, string[] tokens, int?[] wordIds, TokenOffset[] offsets,
        int[] specialTokensMask, int[] attentionMask, Encoding[]? overflowing, SequenceRange[]? sequenceRanges,
        bool wasTruncated = false, string? sourceText = null)
    {
        SourceText = sourceText;
        Ids = ids;
        TypeIds = typeIds;
        Tokens = tokens;
        WordIds = wordIds;
        Offsets = offsets;
        SpecialTokensMask = specialTokensMask;
        AttentionMask = attentionMask;
        OverflowingArray = overflowing ?? NoOverflow;
        SequenceRanges = sequenceRanges ?? [];
        WasTruncated = wasTruncated;
    }

    /// <summary>An encoding without tokens.</summary>
    internal static Encoding Empty { get; } = new([], [], [], [], [], [], [], null, null);

    /// <summary>Number of tokens.</summary>
    public int Length => Ids.Length;

    /// <summary>Token ids.</summary>
    public int[] Ids { get; }

    /// <summary>Segment (token type) ids: 0 for the first sequence, usually 1 for the second.</summary>
    public int[] TypeIds { get; }

    /// <summary>Token strings as they appear in the vocabulary (byte-level tokens in their byte alphabet).</summary>
    public string[] Tokens { get; }

    /// <summary>For each token, the index of the pre-tokenized word it belongs to (null for special tokens).</summary>
    public int?[] WordIds { get; }

    /// <summary>UTF-16 offsets of each token in its source text.</summary>
    public TokenOffset[] Offsets { get; }

    /// <summary>1 for tokens added by post-processing or padding, 0 for tokens from the text.</summary>
    public int[] SpecialTokensMask { get; }

    /// <summary>1 for real tokens, 0 for padding.</summary>
    public int[] AttentionMask { get; }

    /// <summary>The windows cut off by truncation (with their own special tokens), in order.</summary>
    public IReadOnlyList<Encoding> Overflowing => OverflowingArray;

    /// <summary>True when truncation removed tokens from this encoding.</summary>
    public bool WasTruncated { get; }

    /// <summary>For each token, the sequence (0 or 1) it comes from, or null for special tokens and padding.</summary>
    public int?[] SequenceIds => _sequenceIds ??= ComputeSequenceIds();

    internal Encoding[] OverflowingArray { get; }

    internal SequenceRange[] SequenceRanges { get; }

    /// <summary>The text a single-sequence encoding was made from (offset trimming counts in its code points).</summary>
    internal string? SourceText { get; }

    private int?[] ComputeSequenceIds()
    {
        var result = new int?[Length];
        var count = SequenceRanges.Length == 0 ? 1 : SequenceRanges.Length;
        for (var seq = 0; seq < count; seq++)
        {
            var (start, end) = RangeOf(seq);
            for (var i = start; i < end && i < result.Length; i++) result[i] = seq;
        }
        return result;
    }

    private (int Start, int End) RangeOf(int sequence)
    {
        foreach (var r in SequenceRanges)
            if (r.Sequence == sequence) return (r.Start, r.End);
        return (0, Length);
    }
}

/// <summary>The tokens <c>[Start, End)</c> of an encoding that come from one input sequence.</summary>
internal readonly record struct SequenceRange(int Sequence, int Start, int End);
