namespace Embeddings.Tokenization;

/// <summary>
/// Padding settings (the tokenizer.json <c>padding</c> section). With <see cref="FixedLength"/> null an encoding
/// is padded to its own length (the longest of a batch of one), then up to a multiple of
/// <see cref="PadToMultipleOf"/> if set.
/// </summary>
public sealed record PaddingOptions
{
    /// <summary>Creates padding settings.</summary>
    /// <param name="fixedLength">Pad to this length; null pads to the longest encoding of the batch.</param>
    /// <param name="direction">Which side padding goes on.</param>
    /// <param name="padToMultipleOf">Round the padded length up to a multiple of this, if set.</param>
    /// <param name="padId">Id of the padding token.</param>
    /// <param name="padTypeId">Type id of padding tokens.</param>
    /// <param name="padToken">The padding token string.</param>
    /// <exception cref="ArgumentOutOfRangeException">A length is negative or the multiple is not positive.</exception>
    public PaddingOptions(int? fixedLength = null, SequenceSide direction = SequenceSide.Right,
        int? padToMultipleOf = null, int padId = 0, int padTypeId = 0, string padToken = "[PAD]")
    {
        if (fixedLength is { } f) ArgumentOutOfRangeException.ThrowIfNegative(f, nameof(fixedLength));
        if (padToMultipleOf is { } m) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(m, nameof(padToMultipleOf));
        ArgumentNullException.ThrowIfNull(padToken);
        FixedLength = fixedLength;
        Direction = direction;
        PadToMultipleOf = padToMultipleOf;
        PadId = padId;
        PadTypeId = padTypeId;
        PadToken = padToken;
    }

    /// <summary>Pad to this length; null pads to the longest encoding of the batch.</summary>
    public int? FixedLength { get; }

    /// <summary>Which side padding goes on.</summary>
    public SequenceSide Direction { get; }

    /// <summary>Round the padded length up to a multiple of this, if set.</summary>
    public int? PadToMultipleOf { get; }

    /// <summary>Id of the padding token.</summary>
    public int PadId { get; }

    /// <summary>Type id of padding tokens.</summary>
    public int PadTypeId { get; }

    /// <summary>The padding token string.</summary>
    public string PadToken { get; }

    /// <summary>The length encodings are padded to, given the longest encoding of the batch.</summary>
    public int TargetLength(int longest)
    {
        var length = FixedLength ?? longest;
        if (PadToMultipleOf is { } m && length % m != 0) length += m - length % m;
        return length;
    }
}
