using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.PreTokenizers;

/// <summary>
/// BERT's pre-tokenizer: splits on whitespace (dropped) and isolates every punctuation character
/// (ASCII punctuation or a Unicode punctuation category).
/// </summary>
internal sealed class BertPreTokenizer : PreTokenizer
{
    /// <summary>Punctuation as BERT sees it.</summary>
    public static bool IsPunctuation(int c) => c < 0x80 ? CharClass.IsAsciiPunctuation(c) : LegacyCategories.IsPunctuation(c);

    // Whitespace splitting followed by punctuation isolation gives the same pieces as one pass that emits
    // runs of other characters and single punctuation characters.
    private static readonly Segmenter Words = static (text, segments) =>
    {
        var runStart = -1;
        for (var i = 0; i < text.Length;)
        {
            var c = Utf16.CodePointAt(text, i, out var len);
            if (CharClass.IsWhitespace(c) || IsPunctuation(c))
            {
                if (runStart >= 0) segments.Add((runStart, i, false));
                runStart = -1;
                if (!CharClass.IsWhitespace(c)) segments.Add((i, i + len, false));
            }
            else if (runStart < 0) runStart = i;
            i += len;
        }
        if (runStart >= 0) segments.Add((runStart, text.Length, false));
    };

    public override void PreTokenize(PreTokenizedString text) => Splitter.Split(text, SplitBehavior.Isolated, Words);
}
