using Embeddings.Tokenization.Decoders;
using Embeddings.Tokenization.Models;
using Embeddings.Tokenization.Normalizers;
using Embeddings.Tokenization.PostProcessors;
using Embeddings.Tokenization.PreTokenizers;
using Embeddings.Tokenization.Serialization;
using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> tokenizer: normalizer, pre-tokenizer, model (WordPiece, BPE, Unigram,
/// WordLevel), post-processor and decoder, producing the same ids, type ids and offsets as the Hugging Face
/// <c>tokenizers</c> library. Offsets are UTF-16 indexes into the input string.
/// </summary>
/// <remarks>
/// <para>
/// Immutable after loading and safe for concurrent <c>Encode</c>/<c>Decode</c> calls from any number of threads.
/// </para>
/// <para>
/// The <c>truncation</c> and <c>padding</c> sections of tokenizer.json are read (see <see cref="Truncation"/> and
/// <see cref="Padding"/>) but deliberately not applied unless passed in <see cref="EncodeOptions"/>:
/// sentence-transformers ignores them too, and many files carry settings meant for training. Pass
/// <c>new EncodeOptions { Truncation = tokenizer.Truncation, Padding = tokenizer.Padding }</c> to reproduce
/// <c>Tokenizer.from_file</c> exactly.
/// </para>
/// <para>
/// Lone surrogates in the input are treated as U+FFFD (what the reference sees after UTF-8 conversion);
/// encoding never throws for any string.
/// </para>
/// </remarks>
public sealed partial class Tokenizer
{
    // Per-thread scratch text; one that grew past this many UTF-16 units (a very long input) is dropped after use.
    private const int RetainedScratchUnits = 1 << 18;

    [ThreadStatic] private static PreTokenizedString? t_text;

    private readonly Normalizer? _normalizer;
    private readonly PreTokenizer? _preTokenizer;
    private readonly TokenizerModel _model;
    private readonly PostProcessor? _postProcessor;
    private readonly Decoder? _decoder;
    private readonly AddedVocabulary _added;
    private readonly SingleSequenceLayout? _layoutWithSpecials;
    private readonly SingleSequenceLayout? _layoutPlain;
    private readonly BertIdsFastPath? _bertIdsFastPath;

    internal Tokenizer(Normalizer? normalizer, PreTokenizer? preTokenizer, TokenizerModel model, PostProcessor? postProcessor,
        Decoder? decoder, IEnumerable<AddedToken> addedTokens, TruncationOptions? truncation, PaddingOptions? padding)
    {
        _normalizer = normalizer;
        _preTokenizer = preTokenizer;
        _model = model;
        _postProcessor = postProcessor;
        _decoder = decoder;
        _added = new AddedVocabulary(addedTokens, model, normalizer);
        Truncation = truncation;
        Padding = padding;
        _layoutWithSpecials = postProcessor is null ? SingleSequenceLayout.Plain : postProcessor.SingleLayout(true);
        _layoutPlain = postProcessor is null ? SingleSequenceLayout.Plain : postProcessor.SingleLayout(false);
        _bertIdsFastPath = BertIdsFastPath.TryCreate(normalizer, preTokenizer, model, _added);
        var overlapping = _added.IdsByContent.Keys.Count(k => model.TokenToId(k) is not null);
        VocabularySize = model.VocabularySize + _added.Count - overlapping;
    }

    /// <summary>The largest tokenizer.json accepted (the largest real ones, for 250k-token vocabularies, are about 35 MB).</summary>
    public const long MaxFileBytes = 512L * 1024 * 1024;

    /// <summary>Loads a tokenizer.json file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="TokenizerFormatException">The file is not a valid tokenizer.json.</exception>
    /// <exception cref="NotSupportedException">The file uses a component type this library does not implement.</exception>
    public static Tokenizer FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Embeddings.Models.RegularFile.NotRegularReason(path) is { } notRegular)
            throw new TokenizerFormatException(path, "$", $"the file is {notRegular}, not a regular file.");
        var bytes = Embeddings.Models.RegularFile.ReadAllBytes(path, MaxFileBytes)
            ?? throw new TokenizerFormatException(path, "$", $"the file is larger than {MaxFileBytes} bytes, the limit for tokenizer.json files.");
        using var stream = new MemoryStream(bytes, writable: false);
        return TokenizerJsonReader.Read(stream, path);
    }

    /// <summary>Loads a tokenizer from tokenizer.json content.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="sourceName">A name for the content used in error messages (for example the file it came from).</param>
    /// <exception cref="TokenizerFormatException">The JSON is not a valid tokenizer.json.</exception>
    /// <exception cref="NotSupportedException">The JSON uses a component type this library does not implement.</exception>
    public static Tokenizer FromJson(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(sourceName);
        return TokenizerJsonReader.Read(json, sourceName);
    }

    /// <summary>
    /// Builds the standard BERT tokenizer from a <c>vocab.txt</c> (one token per line, id = line number), for
    /// model folders that have no tokenizer.json: BertNormalizer, BertPreTokenizer, WordPiece with <c>##</c>,
    /// <c>[CLS] A [SEP] (B [SEP])</c> and the WordPiece decoder, as the conversion in <c>transformers</c> does.
    /// </summary>
    /// <param name="vocabTxtPath">The vocab.txt file.</param>
    /// <param name="lowercase">Whether the model is uncased (lowercasing and accent stripping).</param>
    /// <exception cref="TokenizerFormatException">The vocabulary lacks a required special token.</exception>
    public static Tokenizer FromBertVocab(string vocabTxtPath, bool lowercase)
    {
        ArgumentException.ThrowIfNullOrEmpty(vocabTxtPath);
        return BertVocabReader.Read(vocabTxtPath, lowercase);
    }

    /// <summary>Truncation settings found in tokenizer.json (not applied unless passed in <see cref="EncodeOptions"/>).</summary>
    public TruncationOptions? Truncation { get; }

    /// <summary>Padding settings found in tokenizer.json (not applied unless passed in <see cref="EncodeOptions"/>).</summary>
    public PaddingOptions? Padding { get; }

    /// <summary>Number of distinct tokens: the model's vocabulary plus added tokens not in it.</summary>
    public int VocabularySize { get; }

    /// <summary>The added tokens, by id.</summary>
    public IReadOnlyList<AddedToken> AddedTokens => _added.Tokens;

    internal TokenizerModel Model => _model;
    internal Normalizer? Normalizer => _normalizer;
    internal PreTokenizer? PreTokenizer => _preTokenizer;
    internal PostProcessor? PostProcessor => _postProcessor;
    internal Decoder? Decoder => _decoder;

    /// <summary>Encodes one text.</summary>
    public Encoding Encode(string text, EncodeOptions? options = null) => Encode(text, null, options);

    /// <summary>Encodes a text, or a text pair when <paramref name="pair"/> is not null.</summary>
    /// <exception cref="ArgumentException">The truncation settings cannot be met (stride too large, or
    /// OnlyFirst/OnlySecond on a sequence too short to absorb the excess; OnlySecond without a pair).</exception>
    public Encoding Encode(string text, string? pair, EncodeOptions? options = null) => Encode(text, pair, options, windowed: true);

    // windowed: false forces the whole-text path, so tests can compare the bounded path against it.
    internal Encoding Encode(string text, string? pair, EncodeOptions? options, bool windowed)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= EncodeOptions.Default;
        var truncation = options.Truncation;
        var first = EncodeSequence(text, 0, truncation, windowed);
        var second = pair is null ? null : EncodeSequence(pair, 1, truncation, windowed);
        return PostProcess(first, second, options.AddSpecialTokens, truncation, options.Padding);
    }

    /// <summary>
    /// Encodes one text straight into token ids, the allocation-free path for inference: no token strings,
    /// offsets or masks are built. The result equals <c>Encode(text, new EncodeOptions { AddSpecialTokens =
    /// addSpecialTokens, Truncation = new TruncationOptions(maxLength) }).Ids</c> (longest-first, right side; with
    /// the default <paramref name="maxLength"/> nothing is truncated).
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="ids">Receives the ids; must be long enough for the result (at most <paramref name="maxLength"/>, unless
    /// the special tokens alone are more).</param>
    /// <param name="maxLength">Maximum number of ids, special tokens included.</param>
    /// <param name="addSpecialTokens">Whether the post-processor's special tokens are added.</param>
    /// <returns>The number of ids written.</returns>
    /// <exception cref="ArgumentException"><paramref name="ids"/> is too short for the result.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is negative.</exception>
    /// <remarks>Uses per-thread scratch buffers; safe to call concurrently from any number of threads.</remarks>
    public int EncodeToIds(ReadOnlySpan<char> text, Span<int> ids, int maxLength = int.MaxValue, bool addSpecialTokens = true) =>
        EncodeToIds(text, ids, default, maxLength, addSpecialTokens);

    /// <summary>
    /// Like <see cref="EncodeToIds(ReadOnlySpan{char}, Span{int}, int, bool)"/>, also writing the type (segment) ids
    /// to <paramref name="typeIds"/> when it is not empty.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="ids">Receives the ids.</param>
    /// <param name="typeIds">Receives the type ids (at least as long as the result), or empty to skip them.</param>
    /// <param name="maxLength">Maximum number of ids, special tokens included.</param>
    /// <param name="addSpecialTokens">Whether the post-processor's special tokens are added.</param>
    /// <returns>The number of ids written.</returns>
    /// <exception cref="ArgumentException">A destination is too short for the result.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is negative.</exception>
    public int EncodeToIds(ReadOnlySpan<char> text, Span<int> ids, Span<int> typeIds, int maxLength = int.MaxValue, bool addSpecialTokens = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        var layout = addSpecialTokens ? _layoutWithSpecials : _layoutPlain;
        if (layout is null) return CopyFromEncoding(text, ids, typeIds, maxLength, addSpecialTokens);
        if (_bertIdsFastPath is not null && TryEncodeBertIds(text, ids, typeIds, maxLength, addSpecialTokens, layout, out var written))
            return written;

        var s = t_text ??= new PreTokenizedString();
        PrepareSequence(s, text, maxLength == int.MaxValue ? -1 : maxLength, SequenceSide.Right, windowed: true);

        var available = 0;
        for (var p = 0; p < s.Count; p++) available += s[p].TokenCount;
        var added = layout.Added;
        var budget = maxLength == int.MaxValue ? available
            : addSpecialTokens && added > 0 ? Math.Max(0, maxLength - added) : maxLength;
        var content = Math.Min(available, budget);
        var total = added + content;
        if (ids.Length < total) throw new ArgumentException($"The destination holds {ids.Length} ids but the result has {total}.", nameof(ids));
        if (!typeIds.IsEmpty && typeIds.Length < total)
            throw new ArgumentException($"The type id destination holds {typeIds.Length} ids but the result has {total}.", nameof(typeIds));

        layout.PrefixIds.CopyTo(ids);
        var k = layout.PrefixIds.Length;
        var tokens = s.Tokens;
        for (var p = 0; p < s.Count && k < layout.PrefixIds.Length + content; p++)
        {
            ref var piece = ref s[p];
            for (var t = piece.TokenStart; t < piece.TokenStart + piece.TokenCount && k < layout.PrefixIds.Length + content; t++)
                ids[k++] = tokens.Id(t);
        }
        layout.SuffixIds.CopyTo(ids[k..]);
        ReleaseIfLarge(s);
        if (!typeIds.IsEmpty)
        {
            layout.PrefixTypeIds.CopyTo(typeIds);
            typeIds.Slice(layout.PrefixIds.Length, content).Fill(layout.ContentTypeId);
            layout.SuffixTypeIds.CopyTo(typeIds[(layout.PrefixIds.Length + content)..]);
        }
        return total;
    }

    // The BERT pipeline's one-pass ids path (BertIdsFastPath); false sends the text through the general pipeline,
    // which gives the same ids and reports destinations that are too short.
    private bool TryEncodeBertIds(ReadOnlySpan<char> text, Span<int> ids, Span<int> typeIds, int maxLength, bool addSpecialTokens,
        SingleSequenceLayout layout, out int total)
    {
        total = 0;
        var added = layout.Added;
        var budget = maxLength == int.MaxValue ? int.MaxValue
            : addSpecialTokens && added > 0 ? Math.Max(0, maxLength - added) : maxLength;
        var prefix = layout.PrefixIds.Length;
        if (ids.Length < added) return false;
        var content = _bertIdsFastPath!.TryEncode(text, ids[prefix..(ids.Length - layout.SuffixIds.Length)], budget);
        if (content < 0) return false;
        total = added + content;
        if (!typeIds.IsEmpty && typeIds.Length < total) return false;
        layout.PrefixIds.CopyTo(ids);
        layout.SuffixIds.CopyTo(ids[(prefix + content)..]);
        if (!typeIds.IsEmpty)
        {
            layout.PrefixTypeIds.CopyTo(typeIds);
            typeIds.Slice(prefix, content).Fill(layout.ContentTypeId);
            layout.SuffixTypeIds.CopyTo(typeIds[(prefix + content)..]);
        }
        return true;
    }

    private int CopyFromEncoding(ReadOnlySpan<char> text, Span<int> ids, Span<int> typeIds, int maxLength, bool addSpecialTokens)
    {
        var encoding = Encode(text.ToString(), new EncodeOptions
        {
            AddSpecialTokens = addSpecialTokens,
            Truncation = maxLength == int.MaxValue ? null : new TruncationOptions(maxLength),
        });
        if (ids.Length < encoding.Length)
            throw new ArgumentException($"The destination holds {ids.Length} ids but the result has {encoding.Length}.", nameof(ids));
        encoding.Ids.CopyTo(ids);
        if (!typeIds.IsEmpty)
        {
            if (typeIds.Length < encoding.Length)
                throw new ArgumentException($"The type id destination holds {typeIds.Length} ids but the result has {encoding.Length}.", nameof(typeIds));
            encoding.TypeIds.CopyTo(typeIds);
        }
        return encoding.Length;
    }

    /// <summary>
    /// Runs the post-processor on already encoded sequences (for example encodings made with
    /// <c>AddSpecialTokens = false</c>), adding special tokens and type ids; no truncation or padding.
    /// </summary>
    public Encoding PostProcess(Encoding first, Encoding? second, bool addSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(first);
        return PostProcess(first, second, addSpecialTokens, null, null);
    }

    /// <summary>Number of special tokens the post-processor adds to a single sequence or a pair.</summary>
    public int NumSpecialTokensToAdd(bool isPair) => _postProcessor?.AddedTokens(isPair) ?? 0;

    /// <summary>The id of a token (added tokens first, then the model's vocabulary), or null.</summary>
    public int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _added.TokenToId(token) ?? _model.TokenToId(token);
    }

    /// <summary>The token string of an id (added tokens first, then the model's vocabulary), or null.</summary>
    public string? IdToToken(int id) => _added.IdToToken(id) ?? _model.IdToToken(id);

    /// <summary>
    /// Turns ids back into text with the tokenizer's decoder (or by joining tokens with spaces when it has none).
    /// Unknown ids are skipped.
    /// </summary>
    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = true)
    {
        var tokens = new List<string>(ids.Length);
        foreach (var id in ids)
        {
            var token = IdToToken(id);
            if (token is null || (skipSpecialTokens && _added.IsSpecial(token))) continue;
            tokens.Add(token);
        }
        if (_decoder is null) return string.Join(' ', tokens);
        return _decoder.Decode(tokens);
    }

    private Encoding EncodeSequence(string text, int typeId, TruncationOptions? truncation, bool windowed)
    {
        var s = t_text ??= new PreTokenizedString();
        var limit = truncation is not null && (truncation.Strategy != PairTruncationStrategy.OnlySecond || typeId != 0)
            ? truncation.MaxLength
            : -1;
        var dropped = PrepareSequence(s, text, limit, truncation?.Direction ?? SequenceSide.Right, windowed);
        var encoding = BuildEncoding(s, typeId, dropped, text);
        ReleaseIfLarge(s);
        return encoding;
    }

    private static void ReleaseIfLarge(PreTokenizedString s)
    {
        if (s.Capacity > RetainedScratchUnits) t_text = null;
    }

    // Tokenizes the pieces; with a limit, stops once that many tokens exist (from the end for left truncation)
    // and drops the remaining pieces, as the reference's early exit does. Returns whether pieces were dropped.
    private bool TokenizePieces(PreTokenizedString s, int limit, SequenceSide direction)
    {
        var (from, to, _) = TokenizeUpToLimit(s, limit, direction);
        var dropped = from > 0 || to < s.Count;
        s.KeepRange(from, to);
        return dropped;
    }

    // Tokenizes pieces in truncation order until the limit is reached (all of them without a limit) and returns the
    // range of pieces the reference keeps, with how many tokens they hold; pieces outside it stay untokenized.
    private (int From, int To, int Tokens) TokenizeUpToLimit(PreTokenizedString s, int limit, SequenceSide direction)
    {
        var tokens = s.Tokens;
        var total = 0;
        if (limit < 0)
        {
            for (var i = 0; i < s.Count; i++)
            {
                if (!s[i].IsTokenized) TokenizePiece(s, i, tokens);
                total += s[i].TokenCount;
            }
            return (0, s.Count, total);
        }
        if (direction == SequenceSide.Right)
        {
            var last = 0;
            for (var i = 0; i < s.Count; i++)
            {
                if (!s[i].IsTokenized)
                {
                    TokenizePiece(s, i, tokens);
                    total += s[i].TokenCount;
                    last = i + 1;
                    if (total >= limit) break;
                    continue;
                }
                total += s[i].TokenCount;
                last = i + 1;
            }
            return (0, last, total);
        }
        var first = s.Count;
        for (var i = s.Count - 1; i >= 0; i--)
        {
            if (!s[i].IsTokenized)
            {
                TokenizePiece(s, i, tokens);
                total += s[i].TokenCount;
                first = i;
                if (total >= limit) break;
                continue;
            }
            total += s[i].TokenCount;
            first = i;
        }
        return (first, s.Count, total);
    }

    private void TokenizePiece(PreTokenizedString s, int index, TokenList tokens)
    {
        var start = tokens.Count;
        _model.Tokenize(s.Text(index), tokens);
        s.SetTokens(index, start);
    }

    private Encoding BuildEncoding(PreTokenizedString s, int typeId, bool dropped, string text)
    {
        var count = 0;
        for (var i = 0; i < s.Count; i++) count += s[i].TokenCount;
        if (s.Count == 0) return dropped ? EncodingOperations.FromTokens([], [], [], [], typeId, true, text) : Encoding.Empty;

        var ids = new int[count];
        var strings = new string[count];
        var offsets = new TokenOffset[count];
        var words = new int?[count];
        var tokens = s.Tokens;
        var alignStart = s.AlignStart;
        var alignEnd = s.AlignEnd;
        var k = 0;
        for (var p = 0; p < s.Count; p++)
        {
            ref var piece = ref s[p];
            for (var t = piece.TokenStart; t < piece.TokenStart + piece.TokenCount; t++, k++)
            {
                var id = tokens.Id(t);
                ids[k] = id;
                strings[k] = tokens.Value(t) ?? _model.IdToToken(id) ?? string.Empty;
                var start = tokens.Start(t);
                var end = tokens.End(t);
                offsets[k] = start == end
                    ? new TokenOffset(piece.Shift + start, piece.Shift + end)
                    : new TokenOffset(alignStart[piece.Start + start], alignEnd[piece.Start + end - 1]);
                words[k] = p;
            }
        }
        return EncodingOperations.FromTokens(ids, strings, offsets, words, typeId, dropped, text);
    }

    private Encoding PostProcess(Encoding first, Encoding? second, bool addSpecialTokens, TruncationOptions? truncation, PaddingOptions? padding)
    {
        if (truncation is not null)
        {
            var added = NumSpecialTokensToAdd(second is not null);
            var maxLength = addSpecialTokens && added > 0 ? Math.Max(0, truncation.MaxLength - added) : truncation.MaxLength;
            (first, second) = Truncator.Truncate(first, second, maxLength, truncation);
        }
        var result = _postProcessor is not null
            ? _postProcessor.Process(first, second, addSpecialTokens)
            : PostProcessors.PostProcessor.Default(first, second);
        if (padding is not null)
            result = EncodingOperations.Pad(result, padding.TargetLength(result.Length), padding.PadId, padding.PadTypeId,
                padding.PadToken, padding.Direction);
        return result;
    }
}
