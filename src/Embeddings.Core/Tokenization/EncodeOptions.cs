namespace Embeddings.Tokenization;

/// <summary>Options of one <see cref="Tokenizer.Encode(string, EncodeOptions?)"/> call.</summary>
public sealed class EncodeOptions
{
    /// <summary>The defaults: special tokens added, no truncation, no padding.</summary>
    public static EncodeOptions Default { get; } = new();

    /// <summary>Whether the post-processor adds its special tokens ([CLS], [SEP], &lt;s&gt;, ...). Default true.</summary>
    public bool AddSpecialTokens { get; init; } = true;

    /// <summary>Truncation to apply, or null for none. tokenizer.json's own section is not applied implicitly.</summary>
    public TruncationOptions? Truncation { get; init; }

    /// <summary>Padding to apply, or null for none. tokenizer.json's own section is not applied implicitly.</summary>
    public PaddingOptions? Padding { get; init; }
}
