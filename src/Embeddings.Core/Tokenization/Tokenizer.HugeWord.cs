using Embeddings.Tokenization.Models;
using Embeddings.Tokenization.Normalizers;
using Embeddings.Tokenization.PreTokenizers;
using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization;

// A text whose kept end lies inside one enormous word (megabytes of letters without a space) has no piece boundary
// near that end, so no window settles and the whole text would be processed. For WordPiece behind the BERT normalizer
// and pre-tokenizer the word's tokens do not depend on its length: a word longer than max_input_chars_per_word is one
// unknown token. So a window whose last (right) or first (left) piece runs into the cut and is already that long is
// accepted with the piece's alignment stretched to the word's true end, found by scanning the original text.
//
// The scan only trusts what it can decide without the pipeline: the word must be ASCII letters and digits (the BERT
// normalizer maps each to one ASCII letter or digit and neither it nor the pre-tokenizer looks past an ASCII
// whitespace or punctuation character), it must end at the text's end or at such a character, and what lies beyond
// must be ASCII whitespace only (nothing more to keep) or, when the limit is already reached, start with a character
// that certainly makes a token (so something was dropped). Added tokens must begin and end with ASCII punctuation, so
// none can match inside or across the word. Anything else grows the window as before, ending in the exact whole-text
// path; other models (BPE, Unigram) split a long word into length-dependent pieces and always take that path.
public sealed partial class Tokenizer
{
    // 0 not yet known, 1 scannable, 2 not (an int, so threads racing to fill it in never see a torn value).
    private int _hugeWordsScannable;

    private bool TryKeepHugeWord(PreTokenizedString s, ReadOnlySpan<char> text, int limit, SequenceSide direction,
        int start, int end, int margin, int from, int to, int tokens, out bool dropped)
    {
        dropped = false;
        if (!HugeWordsScannable() || tokens > limit) return false;
        var model = (WordPieceModel)_model;

        var right = direction == SequenceSide.Right;
        // The piece at the cut: the last piece of the window (right) or its first (left), which must be kept.
        var index = right ? to - 1 : from;
        if (right ? to != s.Count : from != 0) return false;
        ref var piece = ref s[index];
        var pieceEnd = piece.Shift + piece.OriginalLength;
        if (right ? pieceEnd != end || piece.Shift >= end - margin : piece.Shift != start || pieceEnd <= start + margin)
            return false;
        if (piece.TokenCount != 1 || s.Tokens.Id(piece.TokenStart) != model.UnkId || piece.Length <= model.MaxInputCharsPerWord)
            return false;
        if (!IsAsciiWord(text[piece.Shift..pieceEnd])) return false;

        // The word's true extent, and whether anything beyond it makes a token.
        bool? beyondHasToken;
        if (right)
        {
            var wordEnd = end;
            while (wordEnd < text.Length && char.IsAsciiLetterOrDigit(text[wordEnd])) wordEnd++;
            beyondHasToken = HasToken(text[wordEnd..], fromStart: true);
            if (beyondHasToken is null) return false;
            if (tokens < limit && beyondHasToken.Value) return false;
            s.AlignEnd[piece.Start + piece.Length - 1] = wordEnd;
            piece.OriginalLength = wordEnd - piece.Shift;
        }
        else
        {
            var wordStart = start;
            while (wordStart > 0 && char.IsAsciiLetterOrDigit(text[wordStart - 1])) wordStart--;
            beyondHasToken = HasToken(text[..wordStart], fromStart: false);
            if (beyondHasToken is null) return false;
            if (tokens < limit && beyondHasToken.Value) return false;
            s.AlignStart[piece.Start] = wordStart;
            piece.OriginalLength = pieceEnd - wordStart;
            piece.Shift = wordStart;
        }
        dropped = beyondHasToken.Value;
        s.KeepRange(from, to);
        return true;
    }

    // Whether the configuration lets a huge word's extent be found by scanning (see the file comment).
    private bool HugeWordsScannable()
    {
        if (_hugeWordsScannable == 0)
            _hugeWordsScannable = _model is WordPieceModel
                && _normalizer is null or BertNormalizer
                && _preTokenizer is BertPreTokenizer
                && _added.Tokens.All(t => t.Content.Length > 0
                    && CharClass.IsAsciiPunctuation(t.Content[0]) && CharClass.IsAsciiPunctuation(t.Content[^1]))
                ? 1 : 2;
        return _hugeWordsScannable == 1;
    }

    private static bool IsAsciiWord(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (!char.IsAsciiLetterOrDigit(c)) return false;
        return true;
    }

    // What lies beside the word, read from the word's side: false when it is ASCII whitespace only, true when its first
    // other character is printable ASCII (a word or punctuation: a token), null when that cannot be told by scanning.
    // The first character next to the word must be whitespace or punctuation, or the word would go on.
    private static bool? HasToken(ReadOnlySpan<char> beyond, bool fromStart)
    {
        for (var i = 0; i < beyond.Length; i++)
        {
            var c = beyond[fromStart ? i : beyond.Length - 1 - i];
            if (c is ' ' or '\t' or '\n' or '\r') continue;
            return c is > ' ' and < '\u007f' ? true : null;
        }
        return false;
    }
}
