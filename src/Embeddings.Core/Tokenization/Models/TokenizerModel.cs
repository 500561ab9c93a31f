namespace Embeddings.Tokenization.Models;

/// <summary>
/// The third stage of the pipeline: turns one pre-tokenized piece into vocabulary tokens. One subclass per
/// tokenizer.json <c>model</c> type. Instances are immutable apart from internal caches and are safe to
/// share between threads.
/// </summary>
internal abstract class TokenizerModel
{
    /// <summary>
    /// Appends the tokens of <paramref name="text"/> to <paramref name="output"/> with offsets relative to
    /// <paramref name="text"/>. Token strings are left null when they are the vocabulary entry of the id.
    /// </summary>
    public abstract void Tokenize(ReadOnlySpan<char> text, TokenList output);

    /// <summary>The id of a vocabulary entry, or null.</summary>
    public abstract int? TokenToId(ReadOnlySpan<char> token);

    /// <summary>The vocabulary entry of an id, or null.</summary>
    public abstract string? IdToToken(int id);

    /// <summary>Number of vocabulary entries.</summary>
    public abstract int VocabularySize { get; }
}
