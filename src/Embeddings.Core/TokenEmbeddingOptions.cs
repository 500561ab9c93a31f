namespace Embeddings;

/// <summary>Per-call settings for <see cref="IEmbedder.EmbedTokens"/>.</summary>
public sealed class TokenEmbeddingOptions : BatchingOptions
{
    /// <summary>Keep the special tokens ([CLS], [SEP], &lt;s&gt;…) in the result. Default true, as TEI's /embed_all.</summary>
    public bool IncludeSpecialTokens { get; set; } = true;

    /// <summary>L2-normalize each token vector. Default false (raw hidden states).</summary>
    public bool Normalize { get; set; }

    /// <summary>A copy of these options.</summary>
    public TokenEmbeddingOptions Clone() => (TokenEmbeddingOptions)MemberwiseClone();
}
