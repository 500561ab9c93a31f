namespace Embeddings.Server.Http;

/// <summary>
/// Converts UTF-16 indexes (the library's token offsets) into UTF-8 byte offsets (TEI's /tokenize start and
/// stop) for one text, in one pass over it.
/// </summary>
internal sealed class Utf8Offsets
{
    private readonly int[] _byteOffset;

    public Utf8Offsets(string text)
    {
        _byteOffset = new int[text.Length + 1];
        int bytes = 0;
        for (int i = 0; i < text.Length; i++)
        {
            _byteOffset[i] = bytes;
            char c = text[i];
            if (c < 0x80) bytes += 1;
            else if (c < 0x800) bytes += 2;
            // A valid surrogate pair is 4 bytes in all: 2 counted on each half. A lone surrogate becomes U+FFFD (3 bytes).
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) bytes += 2;
            else if (char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1])) bytes += 2;
            else bytes += 3;
        }
        _byteOffset[text.Length] = bytes;
    }

    /// <summary>The UTF-8 byte offset of UTF-16 index <paramref name="index"/>.</summary>
    public int this[int index] => _byteOffset[index];
}
