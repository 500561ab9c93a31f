using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Embeddings.Tokenization.Models;
using Embeddings.Tokenization.Normalizers;
using Embeddings.Tokenization.PreTokenizers;
using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization;

/// <summary>
/// Ids-only encoding for the BERT pipeline (BertNormalizer, BertPreTokenizer, WordPiece) in one pass over the
/// text: each character is normalized through a per-character table, words are gathered in a small buffer and
/// segmented with prefix hashing (<see cref="PrefixHashMap"/>), and ids go straight into the caller's span.
/// No offsets, alignments or pieces are kept, which is what the general pipeline spends most of its time on.
/// </summary>
/// <remarks>
/// <para>
/// Exactness rests on BertNormalizer being a per-character rewrite: cleaning, CJK spacing, lowercasing and
/// dropping nonspacing marks each look at one code point. The exception is canonical reordering after NFD,
/// which moves combining characters among their neighbours; it cannot change the result when every character
/// that survives the mark filter is a starter (combining class 0), so characters whose normalized form keeps a
/// non-starter are sent to the general pipeline, as are surrogates and texts where an added token occurs
/// (normalized ones are looked for, on the fly, only where the normalized text has one's first character). Each table entry is the general
/// normalizer's own output for that character, computed on first sight.
/// </para>
/// <para>
/// <see cref="TryEncode"/> returns -1 for anything it does not handle, and the caller runs the general pipeline;
/// the ids are the same either way (the tests compare the two on the fixtures and the corpus).
/// </para>
/// </remarks>
[SkipLocalsInit] // the stack buffers are always written before they are read
internal sealed class BertIdsFastPath
{
    // Table entries: the kind in the high half, the single output character in the low half.
    private const int KindShift = 16;
    private const int Unknown = 0;     // not computed yet
    private const int WordChar = 1;    // normalizes to one character that continues a word
    private const int Separator = 2;   // normalizes to one whitespace character: ends a word
    private const int Punctuation = 3; // normalizes to one punctuation character: a word of its own
    private const int Removed = 4;     // normalizes to nothing (the word goes on)
    private const int Expanded = 5;    // normalizes to several characters, kept in _expansions
    private const int Unsupported = 6; // needs the general pipeline
    private const int MayStartAdded = 7; // normalizes to one character that can begin a normalized added token

    [ThreadStatic] private static PreTokenizedString? t_scratch;

    private readonly BertNormalizer _normalizer;
    private readonly AddedVocabulary _added;
    private readonly PrefixHashMap _initial;
    private readonly PrefixHashMap _continuation;
    private readonly int _unkId;
    private readonly int _maxWordChars;
    private readonly int[] _table = new int[0x10000];
    private readonly int[] _punctuationIds = new int[0x10000]; // id of a punctuation character's one-character word
    private readonly ConcurrentDictionary<char, string> _expansions = new();

    private BertIdsFastPath(BertNormalizer normalizer, WordPieceModel model, AddedVocabulary added)
    {
        _normalizer = normalizer;
        _added = added;
        _initial = new PrefixHashMap(model.Vocabulary.Entries.ToArray());
        var prefix = model.ContinuingSubwordPrefix;
        _continuation = new PrefixHashMap(model.Vocabulary.Entries
            .Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(e => KeyValuePair.Create(e.Key[prefix.Length..], e.Value)).ToArray());
        _unkId = model.UnkId;
        _maxWordChars = model.MaxInputCharsPerWord;
        for (var c = 0; c < 0x80; c++) _table[c] = Classify((char)c);
    }

    /// <summary>The fast path for a tokenizer made of exactly these components, or null.</summary>
    public static BertIdsFastPath? TryCreate(Normalizer? normalizer, PreTokenizer? preTokenizer, TokenizerModel model, AddedVocabulary added) =>
        normalizer is BertNormalizer bert && preTokenizer is BertPreTokenizer && model is WordPieceModel wordPiece
        && wordPiece.MaxInputCharsPerWord is > 0 and <= 1 << 16
            ? new BertIdsFastPath(bert, wordPiece, added)
            : null;

    /// <summary>
    /// Writes the ids of <paramref name="text"/> (no special tokens) to <paramref name="ids"/>, at most
    /// <paramref name="limit"/> of them (the first ones, as right truncation keeps). Returns the number written, or
    /// -1 when the text needs the general pipeline or <paramref name="ids"/> is too short.
    /// </summary>
    public int TryEncode(ReadOnlySpan<char> text, Span<int> ids, int limit)
    {
        if (limit <= 0) return 0;
        if (_added.HasRawMatch(text)) return -1;
        var wordLength = _maxWordChars + 1; // one more than fits marks the word as too long
        Span<char> word = wordLength <= 512 ? stackalloc char[wordLength] : new char[wordLength];
        Span<int> wordIds = wordLength <= 512 ? stackalloc int[wordLength] : new int[wordLength];
        var table = _table;
        var count = 0;
        var length = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var entry = table[c];
            var kind = entry >> KindShift;
            if (kind == WordChar)
            {
                if (length < word.Length) word[length] = (char)entry;
                length++;
                continue;
            }
            if (kind == Unknown)
            {
                entry = Classify(c);
                Volatile.Write(ref table[c], entry); // after the expansion it may refer to
                kind = entry >> KindShift;
                if (kind == WordChar)
                {
                    if (length < word.Length) word[length] = (char)entry;
                    length++;
                    continue;
                }
            }
            if (kind == MayStartAdded)
            {
                // Rare: check whether an added token really starts here, else treat the character as what it is.
                if (NormalizedAddedTokenAt(text[i..])) return -1;
                kind = OutputKind((char)entry);
                if (kind == WordChar)
                {
                    if (length < word.Length) word[length] = (char)entry;
                    length++;
                    continue;
                }
            }
            switch (kind)
            {
                case Separator:
                    if (length > 0 && !Flush(word, ref length, wordIds, ids, ref count, limit)) return -1;
                    break;
                case Punctuation:
                    if (length > 0 && !Flush(word, ref length, wordIds, ids, ref count, limit)) return -1;
                    if (count < limit)
                    {
                        if (count >= ids.Length) return -1;
                        ids[count++] = _punctuationIds[(char)entry];
                    }
                    break;
                case Removed:
                    break;
                case Expanded:
                    foreach (var o in _expansions[c])
                    {
                        var k = OutputKind(o);
                        if (k == WordChar)
                        {
                            if (length < word.Length) word[length] = o;
                            length++;
                            continue;
                        }
                        if (length > 0 && !Flush(word, ref length, wordIds, ids, ref count, limit)) return -1;
                        if (k == Punctuation)
                        {
                            word[0] = o;
                            length = 1;
                            if (!Flush(word, ref length, wordIds, ids, ref count, limit)) return -1;
                        }
                    }
                    break;
                default:
                    return -1;
            }
            if (count >= limit) return count;
        }
        if (length > 0 && !Flush(word, ref length, wordIds, ids, ref count, limit)) return -1;
        return count;
    }

    // Normalizes the start of the text (as many characters as the longest normalized added token) and asks
    // whether an added token matches there; characters the table cannot normalize answer yes (general path).
    private bool NormalizedAddedTokenAt(ReadOnlySpan<char> text)
    {
        Span<char> normalized = stackalloc char[Math.Min(_added.LongestNormalizedToken, 256)];
        var n = 0;
        for (var i = 0; i < text.Length && n < normalized.Length; i++)
        {
            var c = text[i];
            var entry = _table[c];
            if (entry >> KindShift == Unknown) Volatile.Write(ref _table[c], entry = Classify(c));
            switch (entry >> KindShift)
            {
                case Removed:
                    break;
                case Expanded:
                    foreach (var o in _expansions[c])
                        if (n < normalized.Length) normalized[n++] = o;
                    break;
                case Unsupported:
                    return true;
                default:
                    normalized[n++] = (char)entry;
                    break;
            }
        }
        return _added.NormalizedMatchAtStart(normalized[..n]);
    }

    // Segments the gathered word and appends its ids (up to the limit); false when the destination is too short.
    private bool Flush(Span<char> word, ref int length, Span<int> wordIds, Span<int> ids, ref int count, int limit)
    {
        // A word gives at most one id per character: when that many fit, segment straight into the destination.
        if (length <= _maxWordChars && count + length <= limit && count + length <= ids.Length)
        {
            count += Segment(word[..length], ids[count..]);
            length = 0;
            return true;
        }
        var n = length > _maxWordChars ? Unk(wordIds) : Segment(word[..length], wordIds);
        length = 0;
        var take = Math.Min(n, limit - count);
        if (take <= 0) return true;
        if (count + take > ids.Length) return false;
        wordIds[..take].CopyTo(ids[count..]);
        count += take;
        return true;
    }

    private int Unk(Span<int> wordIds)
    {
        wordIds[0] = _unkId;
        return 1;
    }

    /// <summary>WordPiece's greedy longest-match-first segmentation; the whole word is unknown when it fails.</summary>
    private int Segment(ReadOnlySpan<char> word, Span<int> wordIds)
    {
        Span<uint> prefixHashes = stackalloc uint[64];
        var n = 0;
        var start = 0;
        var map = _initial;
        while (start < word.Length)
        {
            var longest = Math.Min(word.Length - start, map.LongestKey);
            if (longest > prefixHashes.Length) prefixHashes = new uint[longest];
            var h = PrefixHashMap.Seed;
            for (var k = 0; k < longest; k++) prefixHashes[k] = h = PrefixHashMap.Extend(h, word[start + k]);
            var id = -1;
            var end = longest;
            for (; end > 0; end--)
            {
                id = map.Find(prefixHashes[end - 1], word.Slice(start, end));
                if (id >= 0) break;
            }
            if (id < 0) return Unk(wordIds);
            wordIds[n++] = id;
            start += end;
            map = _continuation;
        }
        return n;
    }

    // What the general pipeline makes of one character: the normalizer's output for it alone, then the
    // pre-tokenizer's view of that output.
    private int Classify(char c)
    {
        if (char.IsSurrogate(c)) return Unsupported << KindShift;
        var s = t_scratch ??= new PreTokenizedString();
        s.Reset([c]);
        _normalizer.Normalize(s.Normalized(0));
        var output = s.Text(0);
        foreach (var o in output)
            if (char.IsSurrogate(o) || (output.Length > 1 && _added.MayStartNormalizedMatch(o))
                || (_normalizer.StripsAccents && UnicodeTables.CombiningClass(o) != 0))
                return Unsupported << KindShift;
        if (output.Length == 0) return Removed << KindShift;
        if (output.Length > 1)
        {
            // The output's own characters must classify as single characters (they are normalized already).
            foreach (var o in output)
                if (OutputKind(o) == Unsupported) return Unsupported << KindShift;
            _expansions[c] = output.ToString();
            return Expanded << KindShift;
        }
        var kind = OutputKind(output[0]);
        if (kind == Punctuation) _punctuationIds[output[0]] = SingleCharacterId(output[0]);
        if (_added.MayStartNormalizedMatch(output[0])) kind = MayStartAdded; // its real kind is looked up again
        return (kind << KindShift) | output[0];
    }

    private int SingleCharacterId(char c)
    {
        ReadOnlySpan<char> word = [c];
        var id = _initial.Find(PrefixHashMap.Hash(word), word);
        return id >= 0 ? id : _unkId;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int OutputKind(char o) =>
        CharClass.IsWhitespace(o) ? Separator : BertPreTokenizer.IsPunctuation(o) ? Punctuation : WordChar;
}
