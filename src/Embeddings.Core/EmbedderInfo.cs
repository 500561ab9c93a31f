using Embeddings.Models;
using Embeddings.Pooling;

namespace Embeddings;

/// <summary>What an embedder runs and what it produces.</summary>
public sealed record EmbedderInfo
{
    /// <summary>The model's name: the Hugging Face id it was loaded by, or its folder name.</summary>
    public required string ModelId { get; init; }

    /// <summary>Width of the dense vectors <see cref="IEmbedder.Embed"/> returns (before any Matryoshka truncation); 0 when the model gives no dense vectors.</summary>
    public required int Dimensions { get; init; }

    /// <summary>Width of the per-token vectors (the transformer's hidden size); 0 when unknown.</summary>
    public required int HiddenSize { get; init; }

    /// <summary>The longest input in tokens, special tokens included.</summary>
    public required int MaxSequenceLength { get; init; }

    /// <summary>Tokens the tokenizer knows, added tokens included.</summary>
    public required int VocabularySize { get; init; }

    /// <summary>The model's pooling; empty for sparse-only models.</summary>
    public required IReadOnlyList<PoolingMode> Pooling { get; init; }

    /// <summary>True when vectors are L2-normalized unless a call says otherwise.</summary>
    public required bool Normalize { get; init; }

    /// <summary>The model's named prompts.</summary>
    public required IReadOnlyDictionary<string, string> Prompts { get; init; }

    /// <summary>The prompt used when a call names none.</summary>
    public string? DefaultPromptName { get; init; }

    /// <summary>How the model's vectors should be compared.</summary>
    public required SimilarityFunction Similarity { get; init; }

    /// <summary>Where padding goes.</summary>
    public required SequenceSide PaddingSide { get; init; }

    /// <summary>True when the model gives vocabulary logits or sparse vectors (SPLADE).</summary>
    public required bool SupportsSparse { get; init; }

    /// <summary>True when the model gives per-token vectors (needed for token embeddings and late chunking).</summary>
    public required bool SupportsTokenEmbeddings { get; init; }

    /// <summary>
    /// True when the model's results depend slightly on batch composition (for example a dynamically quantized model,
    /// whose activation scales are computed per batch), so a text's vector depends on what it was batched with, unless
    /// <see cref="EmbedderOptions.BatchIndependentResults"/> runs every text on its own.
    /// </summary>
    public required bool BatchDependent { get; init; }
}
