using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.PreTokenizers;

/// <summary>
/// The <c>Whitespace</c> pre-tokenizer: keeps the runs of word characters and the runs of other
/// non-whitespace characters (the matches of <c>\w+|[^\w\s]+</c>), dropping whitespace.
/// </summary>
internal sealed class WhitespacePreTokenizer : PreTokenizer
{
    private enum Kind { Space, Word, Other }

    private static readonly Segmenter Runs = static (text, segments) =>
    {
        if (text.IsEmpty)
        {
            segments.Add((0, 0, false));
            return;
        }
        var runStart = 0;
        var runKind = Kind.Space;
        for (var i = 0; i < text.Length;)
        {
            var c = Utf16.CodePointAt(text, i, out var len);
            var kind = CharClass.IsWordChar(c) ? Kind.Word : CharClass.IsWhitespace(c) ? Kind.Space : Kind.Other;
            if (i == 0) runKind = kind;
            else if (kind != runKind)
            {
                segments.Add((runStart, i, runKind == Kind.Space));
                runStart = i;
                runKind = kind;
            }
            i += len;
        }
        segments.Add((runStart, text.Length, runKind == Kind.Space));
    };

    public override void PreTokenize(PreTokenizedString text) => Splitter.Split(text, SplitBehavior.Removed, Runs);
}
