using Embeddings.Pooling;

namespace Embeddings;

/// <summary>Per-call settings for <see cref="IEmbedder.Embed"/>. Anything left null follows the model folder.</summary>
public sealed class EmbedOptions : BatchingOptions
{
    private int? _dimensions;
    private PoolingMode? _pooling;

    /// <summary>L2-normalize the vectors; null follows the model (a Normalize module in modules.json).</summary>
    public bool? Normalize { get; set; }

    /// <summary>
    /// Keep only the first <c>Dimensions</c> values (Matryoshka truncation), applied before normalization so
    /// normalized vectors stay unit length. Null keeps them all.
    /// </summary>
    public int? Dimensions
    {
        get => _dimensions;
        set => _dimensions = value is < 1 ? throw new ArgumentOutOfRangeException(nameof(value), value, "must be at least 1.") : value;
    }

    /// <summary>The name of a prompt from the model's config_sentence_transformers.json (e.g. <c>query</c>).
    /// Null uses the model's default prompt, if it has one.</summary>
    public string? PromptName { get; set; }

    /// <summary>A prompt text to prepend, overriding <see cref="PromptName"/>. The empty string means no prompt,
    /// even when the model has a default.</summary>
    public string? Prompt { get; set; }

    /// <summary>Pool differently from the model's 1_Pooling config; null follows the model.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="PoolingMode"/>.</exception>
    public PoolingMode? Pooling
    {
        get => _pooling;
        set => _pooling = value is { } mode && !Enum.IsDefined(mode)
            ? throw new ArgumentOutOfRangeException(nameof(value), value, "is not a defined pooling mode.")
            : value;
    }

    /// <summary>A copy of these options.</summary>
    public EmbedOptions Clone() => (EmbedOptions)MemberwiseClone();
}
