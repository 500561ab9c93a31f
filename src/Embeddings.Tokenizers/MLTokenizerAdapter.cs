using Embeddings.Tokenization.PostProcessors;
using Microsoft.ML.Tokenizers;
using LibraryTokenizer = Embeddings.Tokenization.Tokenizer;
using Piece = Embeddings.Tokenization.PostProcessors.TemplateProcessing.Piece;

namespace Embeddings.Tokenizers;

/// <summary>
/// Turns a Microsoft.ML.Tokenizers <see cref="Tokenizer"/> (a SentencePiece <c>.model</c>, Tiktoken, a BERT vocabulary…)
/// into the library's tokenizer, for model folders that have no tokenizer.json: pass the result as
/// <c>OnnxEmbedderOptions.Tokenizer</c>.
/// </summary>
/// <remarks>
/// <para>The embeddings are only as right as the ids: they equal the reference model's wherever the
/// Microsoft.ML.Tokenizers tokenizer gives the ids the model was trained with. What differs from a tokenizer.json:</para>
/// <list type="bullet">
/// <item>The whole text goes to the Microsoft.ML.Tokenizers tokenizer (its normalization and pre-tokenization);
/// the special tokens given here are laid around its tokens (<c>prefix text suffix</c>), so build it to add none
/// itself (for example a SentencePiece tokenizer with <c>addBeginningOfSentence: false</c>).</item>
/// <item>Offsets are the ones it reports, clamped to the text: into its normalized text when it normalizes (a BERT
/// tokenizer that strips accents shifts them), so token offsets (<c>EmbedTokens</c>) are exact only when
/// normalization keeps the length.</item>
/// <item>Truncation at the model's limit is the library's: the first tokens are kept and the special tokens stay.</item>
/// <item>Pairs are laid out as <c>prefix A suffix B suffix</c> (the BERT layout); cross-encoders (rerankers) are
/// not served through this route.</item>
/// <item><c>TokenToId</c>, <c>IdToToken</c> and <c>Decode</c> know the special tokens and the vocabulary the
/// tokenizer exposes (SentencePiece) or that is passed in; decode text with the Microsoft.ML.Tokenizers
/// tokenizer itself.</item>
/// </list>
/// </remarks>
public static class MLTokenizerAdapter
{
    /// <summary>Wraps <paramref name="tokenizer"/>, adding <paramref name="prefix"/> before and <paramref name="suffix"/> after every text.</summary>
    /// <param name="tokenizer">A tokenizer that adds no special tokens of its own.</param>
    /// <param name="prefix">Special tokens before the text (e.g. <c>[CLS]</c>, <c>&lt;s&gt;</c>); none when null.</param>
    /// <param name="suffix">Special tokens after the text (e.g. <c>[SEP]</c>, <c>&lt;/s&gt;</c>); none when null.</param>
    /// <param name="vocabulary">Token strings to ids, for <c>TokenToId</c> and the vocabulary size; null takes the
    /// tokenizer's own when it exposes one (SentencePiece).</param>
    /// <param name="otherSpecialTokens">Further special tokens to look up by name (the padding token, for instance).</param>
    /// <exception cref="ArgumentException"><paramref name="tokenizer"/> gives tokens for empty text (it adds special tokens itself).</exception>
    public static LibraryTokenizer ToEmbeddingsTokenizer(Tokenizer tokenizer, IReadOnlyList<SpecialToken>? prefix = null,
        IReadOnlyList<SpecialToken>? suffix = null, IReadOnlyDictionary<string, int>? vocabulary = null,
        IReadOnlyList<SpecialToken>? otherSpecialTokens = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        prefix ??= [];
        suffix ??= [];
        otherSpecialTokens ??= [];
        foreach (var special in prefix.Concat(suffix).Concat(otherSpecialTokens))
            ArgumentException.ThrowIfNullOrEmpty(special.Token, nameof(prefix));
        // Its own special tokens would be content to the library: truncated away with the text and doubled with ours.
        if (tokenizer.EncodeToTokens(string.Empty, out _).Count != 0)
            throw new ArgumentException("The tokenizer adds tokens of its own (special tokens) even to empty text; create it " +
                "without them and pass them as prefix and suffix.", nameof(tokenizer));

        vocabulary ??= tokenizer switch
        {
            SentencePieceTokenizer sentencePiece => sentencePiece.Vocabulary,
            _ => null,
        };
        var model = new MLTokenizerModel(tokenizer, vocabulary, prefix.Concat(suffix).Concat(otherSpecialTokens));

        var specials = new Dictionary<string, (int[] Ids, string[] Tokens)>(StringComparer.Ordinal);
        foreach (var special in prefix.Concat(suffix)) specials[special.Token] = ([special.Id], [special.Token]);
        Piece Special(SpecialToken token, int typeId) => new(false, 0, token.Token, typeId);
        Piece[] single = [.. prefix.Select(t => Special(t, 0)), new Piece(true, 0, null, 0), .. suffix.Select(t => Special(t, 0))];
        Piece[] pair = [.. single, new Piece(true, 1, null, 1), .. suffix.Select(t => Special(t, 1))];
        var postProcessor = new TemplateProcessing(single, pair, specials);

        return new LibraryTokenizer(normalizer: null, preTokenizer: null, model, postProcessor, decoder: null,
            addedTokens: [], truncation: null, padding: null);
    }

    /// <summary>Wraps a Microsoft.ML.Tokenizers <see cref="BertTokenizer"/>: <c>[CLS] text [SEP]</c>, its padding and
    /// unknown tokens known by name.</summary>
    /// <param name="tokenizer">The BERT tokenizer.</param>
    /// <param name="vocabulary">The vocabulary it was built from, for <c>TokenToId</c> and the vocabulary size; null
    /// knows only the special tokens (Microsoft.ML.Tokenizers does not expose a BERT vocabulary).</param>
    public static LibraryTokenizer ToEmbeddingsTokenizer(BertTokenizer tokenizer, IReadOnlyDictionary<string, int>? vocabulary = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return ToEmbeddingsTokenizer(tokenizer,
            prefix: [new SpecialToken(tokenizer.ClassificationToken, tokenizer.ClassificationTokenId)],
            suffix: [new SpecialToken(tokenizer.SeparatorToken, tokenizer.SeparatorTokenId)],
            vocabulary,
            otherSpecialTokens: [new SpecialToken(tokenizer.PaddingToken, tokenizer.PaddingTokenId),
                new SpecialToken(tokenizer.UnknownToken, tokenizer.UnknownTokenId)]);
    }
}
