namespace Embeddings;

/// <summary>Per-call settings for <see cref="IMultiVectorEmbedder.EmbedMultiVector"/>.</summary>
public sealed class MultiVectorOptions : BatchingOptions
{
    /// <summary>A named prompt of the model to prepend instead of the role's own (<c>query</c> or <c>document</c>).</summary>
    public string? PromptName { get; set; }

    /// <summary>A prompt text to prepend; wins over <see cref="PromptName"/> and the role's prompt. "" for none.</summary>
    public string? Prompt { get; set; }

    /// <summary>A copy of these options.</summary>
    public MultiVectorOptions Clone() => (MultiVectorOptions)MemberwiseClone();
}
