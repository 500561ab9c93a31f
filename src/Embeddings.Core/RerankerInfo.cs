using Embeddings.Reranking;

namespace Embeddings;

/// <summary>What a reranker runs and how it scores.</summary>
public sealed record RerankerInfo
{
    /// <summary>The model's name: the Hugging Face id it was loaded by, or its folder name.</summary>
    public required string ModelId { get; init; }

    /// <summary>The longest query + document pair in tokens, special tokens included.</summary>
    public required int MaxSequenceLength { get; init; }

    /// <summary>The function applied to the logit unless raw scores are asked for.</summary>
    public required ScoreActivation Activation { get; init; }

    /// <summary>
    /// True when the model's scores depend slightly on batch composition (for example a dynamically quantized model),
    /// unless <see cref="EmbedderOptions.BatchIndependentResults"/> runs every pair on its own.
    /// </summary>
    public bool BatchDependent { get; init; }
}
