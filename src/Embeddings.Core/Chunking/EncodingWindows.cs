using Embeddings.Tokenization;

namespace Embeddings.Chunking;

/// <summary>Cuts a window out of an encoding made without special tokens, so the post-processor can add them per window.</summary>
internal static class EncodingWindows
{
    public static Encoding Slice(Encoding encoding, int start, int length) => new(
        encoding.Ids.AsSpan(start, length).ToArray(),
        encoding.TypeIds.AsSpan(start, length).ToArray(),
        encoding.Tokens.AsSpan(start, length).ToArray(),
        encoding.WordIds.AsSpan(start, length).ToArray(),
        encoding.Offsets.AsSpan(start, length).ToArray(),
        encoding.SpecialTokensMask.AsSpan(start, length).ToArray(),
        encoding.AttentionMask.AsSpan(start, length).ToArray(),
        overflowing: null, sequenceRanges: null);
}
