using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.Normalizers;

/// <summary>The <c>ByteLevel</c> normalizer: replaces every character by the alphabet characters of its UTF-8 bytes.</summary>
internal sealed class ByteLevelNormalizer : Normalizer
{
    public override void Normalize(NormalizedText text)
    {
        if (!text.IsEmpty) ToByteLevel(text);
    }

    /// <summary>The byte-level transformation shared with the ByteLevel pre-tokenizer.</summary>
    public static void ToByteLevel(NormalizedText text)
    {
        // ASCII maps one-for-one onto the alphabet, so it is rewritten in place with its alignments.
        var chars = text.TextForInPlaceEdit;
        if (System.Text.Ascii.IsValid(chars))
        {
            for (var i = 0; i < chars.Length; i++) chars[i] = ByteLevelAlphabet.ToChar((byte)chars[i]);
            return;
        }
        var span = text.Text;
        Span<byte> bytes = stackalloc byte[4];
        var t = text.BeginTransform();
        for (var i = 0; i < span.Length;)
        {
            var c = Utf16.CodePointAt(span, i, out var len);
            i += len;
            var n = new System.Text.Rune(c).EncodeToUtf8(bytes);
            for (var k = 0; k < n; k++) t.Push(ByteLevelAlphabet.ToChar(bytes[k]), k == 0 ? 0 : 1);
        }
        t.Commit();
    }
}
