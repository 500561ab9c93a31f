using System.Buffers;
using Microsoft.ML.Tokenizers;
using HfTokenizer = Embeddings.Tokenization.Tokenizer;
using HfEncoding = Embeddings.Tokenization.Encoding;
using HfEncodeOptions = Embeddings.Tokenization.EncodeOptions;

namespace Embeddings.Tokenizers;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> tokenizer as a Microsoft.ML.Tokenizers <see cref="Tokenizer"/>: code written
/// against that abstraction (chunkers, token counters, ingestion pipelines) gets exactly the ids, tokens and offsets
/// of the Hugging Face <c>tokenizers</c> library, for every tokenizer.json this library reads (WordPiece, BPE and
/// byte-level BPE, Unigram, WordLevel, with their normalizers, pre-tokenizers and post-processors).
/// </summary>
/// <remarks>
/// <para>Every call goes to the library's own <see cref="HfTokenizer"/> (<see cref="Underlying"/>); nothing is re-implemented.</para>
/// <para>How the Microsoft.ML.Tokenizers parameters map:</para>
/// <list type="bullet">
/// <item><c>EncodeToIds(text)</c> is Hugging Face's <c>encode(text).ids</c>: the post-processor's special tokens
/// ([CLS] … [SEP], &lt;s&gt; … &lt;/s&gt;) included. Overloads taking <c>addSpecialTokens</c> leave them out on request,
/// as does creating the tokenizer with <c>addSpecialTokens: false</c>.</item>
/// <item>Offsets (<see cref="EncodedToken.Offset"/>) are UTF-16 ranges of the original text, special tokens added by the
/// post-processor have the empty range 0..0; <c>normalizedText</c> is therefore always null.</item>
/// <item><c>maxTokenCount</c> counts special tokens. The post-processor's special tokens are always kept; of the text's
/// own tokens, the longest run from the start (from the end for <c>GetIndexByTokenCountFromEnd</c>) that fits is kept,
/// without splitting the tokens of one character (a character split into UTF-8 byte tokens). Within that rule the
/// result is Hugging Face's right-side truncation. <c>charsConsumed</c> and the returned index are where that run ends
/// (starts).</item>
/// <item><c>considerNormalization: false</c> and <c>considerPreTokenization: false</c> skip the tokenizer.json normalizer
/// and pre-tokenizer, giving what Hugging Face gives with that section removed from the file. The
/// <see cref="Tokenizer.Normalizer"/> and <see cref="Tokenizer.PreTokenizer"/> properties are null: those steps are
/// the tokenizer.json's own, not Microsoft.ML.Tokenizers components.</item>
/// <item><see cref="Decode(IEnumerable{int})"/> is Hugging Face's <c>decode(ids)</c> (special tokens skipped, the
/// tokenizer.json decoder applied, unknown ids skipped); <see cref="Decode(IEnumerable{int}, bool)"/> can keep them.</item>
/// </list>
/// <para>Immutable and safe for concurrent calls from any number of threads.</para>
/// </remarks>
public sealed class HuggingFaceTokenizer : Tokenizer
{
    // The same components minus a step, for the considerNormalization / considerPreTokenization flags; built on
    // first use, since most callers never ask and building one matches the added tokens again.
    private readonly Lazy<HfTokenizer> _withoutNormalizer;
    private readonly Lazy<HfTokenizer> _withoutPreTokenizer;
    private readonly Lazy<HfTokenizer> _withoutEither;

    private HuggingFaceTokenizer(HfTokenizer tokenizer, bool addSpecialTokens)
    {
        Underlying = tokenizer;
        AddSpecialTokens = addSpecialTokens;
        _withoutNormalizer = new(() => TokenizerSteps.Without(tokenizer, dropNormalizer: true, dropPreTokenizer: false));
        _withoutPreTokenizer = new(() => TokenizerSteps.Without(tokenizer, dropNormalizer: false, dropPreTokenizer: true));
        _withoutEither = new(() => TokenizerSteps.Without(tokenizer, dropNormalizer: true, dropPreTokenizer: true));
    }

    /// <summary>Loads a tokenizer.json file; encodings get the post-processor's special tokens, as in Hugging Face.</summary>
    /// <param name="tokenizerJsonPath">The tokenizer.json file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="Embeddings.Tokenization.TokenizerFormatException">The file is not a valid tokenizer.json.</exception>
    /// <exception cref="NotSupportedException">The file uses a component type this library does not implement.</exception>
    public static HuggingFaceTokenizer Create(string tokenizerJsonPath) => Create(tokenizerJsonPath, addSpecialTokens: true);

    /// <summary>Loads a tokenizer.json file.</summary>
    /// <param name="tokenizerJsonPath">The tokenizer.json file.</param>
    /// <param name="addSpecialTokens">Whether encodings get the post-processor's special tokens by default (Hugging Face's default: true).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="Embeddings.Tokenization.TokenizerFormatException">The file is not a valid tokenizer.json.</exception>
    /// <exception cref="NotSupportedException">The file uses a component type this library does not implement.</exception>
    public static HuggingFaceTokenizer Create(string tokenizerJsonPath, bool addSpecialTokens)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenizerJsonPath);
        return new HuggingFaceTokenizer(HfTokenizer.FromFile(tokenizerJsonPath), addSpecialTokens);
    }

    /// <summary>Reads a tokenizer.json from a stream (UTF-8, left open); encodings get the post-processor's special tokens.</summary>
    /// <param name="tokenizerJson">The stream, read to its end.</param>
    /// <exception cref="Embeddings.Tokenization.TokenizerFormatException">The content is not a valid tokenizer.json, or is
    /// larger than <see cref="HfTokenizer.MaxFileBytes"/>.</exception>
    /// <exception cref="NotSupportedException">The content uses a component type this library does not implement.</exception>
    public static HuggingFaceTokenizer Create(Stream tokenizerJson) => Create(tokenizerJson, addSpecialTokens: true);

    /// <summary>Reads a tokenizer.json from a stream (UTF-8), which is left open.</summary>
    /// <param name="tokenizerJson">The stream, read to its end.</param>
    /// <param name="addSpecialTokens">Whether encodings get the post-processor's special tokens by default (Hugging Face's default: true).</param>
    /// <exception cref="Embeddings.Tokenization.TokenizerFormatException">The content is not a valid tokenizer.json, or is
    /// larger than <see cref="HfTokenizer.MaxFileBytes"/>.</exception>
    /// <exception cref="NotSupportedException">The content uses a component type this library does not implement.</exception>
    public static HuggingFaceTokenizer Create(Stream tokenizerJson, bool addSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(tokenizerJson);
        const string source = "tokenizer.json stream";
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = tokenizerJson.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > HfTokenizer.MaxFileBytes)
                    throw new Embeddings.Tokenization.TokenizerFormatException(source, "$",
                        $"the content is larger than {HfTokenizer.MaxFileBytes} bytes, the limit for tokenizer.json.");
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        var json = System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        return new HuggingFaceTokenizer(HfTokenizer.FromJson(json, source), addSpecialTokens);
    }

    /// <summary>Wraps an already loaded tokenizer, for example an embedder's <c>Embedder.Tokenizer</c>.</summary>
    /// <param name="tokenizer">The tokenizer.</param>
    public static HuggingFaceTokenizer Create(HfTokenizer tokenizer) => Create(tokenizer, addSpecialTokens: true);

    /// <summary>Wraps an already loaded tokenizer, for example an embedder's <c>Embedder.Tokenizer</c>.</summary>
    /// <param name="tokenizer">The tokenizer.</param>
    /// <param name="addSpecialTokens">Whether encodings get the post-processor's special tokens by default (Hugging Face's default: true).</param>
    public static HuggingFaceTokenizer Create(HfTokenizer tokenizer, bool addSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return new HuggingFaceTokenizer(tokenizer, addSpecialTokens);
    }

    /// <summary>The library's tokenizer every call goes to (for pairs, type ids, truncation and padding options).</summary>
    public HfTokenizer Underlying { get; }

    /// <summary>Whether encodings get the post-processor's special tokens unless a call says otherwise.</summary>
    public bool AddSpecialTokens { get; }

    /// <summary>Encodes <paramref name="text"/> to ids, choosing whether the post-processor's special tokens are added.</summary>
    /// <param name="text">The text.</param>
    /// <param name="addSpecialTokens">Whether to add the post-processor's special tokens.</param>
    /// <param name="considerPreTokenization">Whether to apply the tokenizer.json pre-tokenizer.</param>
    /// <param name="considerNormalization">Whether to apply the tokenizer.json normalizer.</param>
    public IReadOnlyList<int> EncodeToIds(string text, bool addSpecialTokens, bool considerPreTokenization = true, bool considerNormalization = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Encode(text, addSpecialTokens, considerPreTokenization, considerNormalization).Ids;
    }

    /// <summary>Encodes <paramref name="text"/> to tokens, choosing whether the post-processor's special tokens are added.</summary>
    /// <param name="text">The text.</param>
    /// <param name="addSpecialTokens">Whether to add the post-processor's special tokens.</param>
    /// <param name="considerPreTokenization">Whether to apply the tokenizer.json pre-tokenizer.</param>
    /// <param name="considerNormalization">Whether to apply the tokenizer.json normalizer.</param>
    public IReadOnlyList<EncodedToken> EncodeToTokens(string text, bool addSpecialTokens, bool considerPreTokenization = true, bool considerNormalization = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var encoding = Encode(text, addSpecialTokens, considerPreTokenization, considerNormalization);
        return ToTokens(encoding, 0, encoding.Length);
    }

    /// <summary>Counts the tokens of <paramref name="text"/>, choosing whether the post-processor's special tokens are counted.</summary>
    /// <param name="text">The text.</param>
    /// <param name="addSpecialTokens">Whether to count the post-processor's special tokens.</param>
    /// <param name="considerPreTokenization">Whether to apply the tokenizer.json pre-tokenizer.</param>
    /// <param name="considerNormalization">Whether to apply the tokenizer.json normalizer.</param>
    public int CountTokens(string text, bool addSpecialTokens, bool considerPreTokenization = true, bool considerNormalization = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Encode(text, addSpecialTokens, considerPreTokenization, considerNormalization).Length;
    }

    /// <inheritdoc/>
    protected override EncodeResults<int> EncodeToIds(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var (encoding, fit) = EncodeWithin(text, textSpan, settings, fromEnd: false);
        var ids = new int[fit.TokenCount];
        encoding.Ids.AsSpan(0, fit.Prefix).CopyTo(ids);
        encoding.Ids.AsSpan(fit.ContentStart, fit.ContentCount).CopyTo(ids.AsSpan(fit.Prefix));
        encoding.Ids.AsSpan(encoding.Length - fit.Suffix, fit.Suffix).CopyTo(ids.AsSpan(fit.Prefix + fit.ContentCount));
        return new EncodeResults<int> { Tokens = ids, NormalizedText = null, CharsConsumed = fit.Index };
    }

    /// <inheritdoc/>
    protected override EncodeResults<EncodedToken> EncodeToTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var (encoding, fit) = EncodeWithin(text, textSpan, settings, fromEnd: false);
        var tokens = new List<EncodedToken>(fit.TokenCount);
        tokens.AddRange(ToTokens(encoding, 0, fit.Prefix));
        tokens.AddRange(ToTokens(encoding, fit.ContentStart, fit.ContentCount));
        tokens.AddRange(ToTokens(encoding, encoding.Length - fit.Suffix, fit.Suffix));
        return new EncodeResults<EncodedToken> { Tokens = tokens, NormalizedText = null, CharsConsumed = fit.Index };
    }

    /// <inheritdoc/>
    protected override int CountTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings) =>
        EncodeWithin(text, textSpan, settings, fromEnd: false).Fit.TokenCount;

    /// <inheritdoc/>
    protected override int GetIndexByTokenCount(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings, bool fromEnd,
        out string? normalizedText, out int tokenCount)
    {
        var (_, fit) = EncodeWithin(text, textSpan, settings, fromEnd);
        normalizedText = null;
        tokenCount = fit.TokenCount;
        return fit.Index;
    }

    /// <summary>Decodes ids to text as Hugging Face's <c>decode(ids)</c> does: special tokens skipped, unknown ids skipped.</summary>
    /// <param name="ids">The ids.</param>
    public override string Decode(IEnumerable<int> ids) => Decode(ids, skipSpecialTokens: true);

    /// <summary>Decodes ids to text as Hugging Face's <c>decode(ids, skip_special_tokens)</c> does (unknown ids skipped).</summary>
    /// <param name="ids">The ids.</param>
    /// <param name="skipSpecialTokens">Whether special tokens are left out of the text.</param>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return Underlying.Decode(ids as int[] ?? ids.ToArray(), skipSpecialTokens);
    }

    /// <summary>
    /// Decodes ids into <paramref name="destination"/> as <see cref="Decode(IEnumerable{int})"/> does. When the text does
    /// not fit, writes the decoding of the longest run of leading ids that fits and returns
    /// <see cref="OperationStatus.DestinationTooSmall"/>.
    /// </summary>
    /// <param name="ids">The ids.</param>
    /// <param name="destination">Receives the text.</param>
    /// <param name="idsConsumed">How many leading ids the written text decodes.</param>
    /// <param name="charsWritten">How many characters were written.</param>
    public override OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var all = ids as int[] ?? ids.ToArray();
        var text = Underlying.Decode(all, skipSpecialTokens: true);
        if (text.Length <= destination.Length)
        {
            text.CopyTo(destination);
            (idsConsumed, charsWritten) = (all.Length, text.Length);
            return OperationStatus.Done;
        }

        // Decoded text grows with the ids almost always; search for the longest prefix whose text fits, and keep
        // only a prefix that was actually checked to fit.
        int low = 0, high = all.Length - 1;
        var best = string.Empty;
        idsConsumed = 0;
        while (low <= high)
        {
            var middle = (low + high + 1) / 2;
            var candidate = middle == 0 ? string.Empty : Underlying.Decode(all.AsSpan(0, middle), skipSpecialTokens: true);
            if (candidate.Length <= destination.Length)
            {
                (idsConsumed, best) = (middle, candidate);
                low = middle + 1;
            }
            else high = middle - 1;
        }
        best.CopyTo(destination);
        charsWritten = best.Length;
        return OperationStatus.DestinationTooSmall;
    }

    private HfEncoding Encode(string text, bool addSpecialTokens, bool considerPreTokenization, bool considerNormalization)
    {
        var tokenizer = (considerNormalization, considerPreTokenization) switch
        {
            (true, true) => Underlying,
            (false, true) => _withoutNormalizer.Value,
            (true, false) => _withoutPreTokenizer.Value,
            _ => _withoutEither.Value,
        };
        return tokenizer.Encode(text, addSpecialTokens ? HfEncodeOptions.Default : WithoutSpecialTokens);
    }

    private static readonly HfEncodeOptions WithoutSpecialTokens = new() { AddSpecialTokens = false };

    private (HfEncoding Encoding, TokenBudget Fit) EncodeWithin(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings, bool fromEnd)
    {
        var source = text ?? textSpan.ToString();
        ArgumentOutOfRangeException.ThrowIfNegative(settings.MaxTokenCount, "maxTokenCount");
        var encoding = Encode(source, AddSpecialTokens, settings.ConsiderPreTokenization, settings.ConsiderNormalization);
        return (encoding, TokenBudget.Fit(encoding, source.Length, settings.MaxTokenCount, fromEnd));
    }

    private static EncodedToken[] ToTokens(HfEncoding encoding, int start, int count)
    {
        var tokens = new EncodedToken[count];
        for (var i = 0; i < count; i++)
        {
            var offset = encoding.Offsets[start + i];
            tokens[i] = new EncodedToken(encoding.Ids[start + i], encoding.Tokens[start + i], new Range(offset.Start, offset.End));
        }
        return tokens;
    }
}
