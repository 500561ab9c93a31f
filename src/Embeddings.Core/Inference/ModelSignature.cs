namespace Embeddings.Inference;

/// <summary>The standard transformer inputs a model can declare.</summary>
[Flags]
public enum ModelInputs
{
    /// <summary>No standard input.</summary>
    None = 0,
    /// <summary><c>input_ids</c>.</summary>
    InputIds = 1,
    /// <summary><c>attention_mask</c>.</summary>
    AttentionMask = 2,
    /// <summary><c>token_type_ids</c> (BERT family; absent in RoBERTa, XLM-R, DistilBERT, decoders).</summary>
    TokenTypeIds = 4,
    /// <summary><c>position_ids</c> (decoders, some exports).</summary>
    PositionIds = 8,
}

/// <summary>What a model output holds, recognised from its name and rank.</summary>
public enum ModelOutputKind
{
    /// <summary>Per-token hidden states [batch, sequence, hidden]: <c>last_hidden_state</c> or <c>token_embeddings</c>.</summary>
    TokenEmbeddings,
    /// <summary>Already pooled [batch, hidden]: <c>sentence_embedding</c>.</summary>
    SentenceEmbedding,
    /// <summary>Masked-LM logits [batch, sequence, vocabulary]: <c>logits</c>.</summary>
    Logits,
    /// <summary>An already pooled sparse vector [batch, vocabulary] (e.g. <c>sparse_embedding</c>).</summary>
    SparseEmbedding,
    /// <summary>Anything else.</summary>
    Other,
}

/// <summary>One output of a model.</summary>
/// <param name="Name">The name the runtime knows it by.</param>
/// <param name="Kind">What it holds.</param>
/// <param name="Shape">Declared dimensions; -1 where the dimension is symbolic or unknown.</param>
public sealed record ModelOutputInfo(string Name, ModelOutputKind Kind, IReadOnlyList<long> Shape)
{
    /// <summary>The size of the last dimension if the model declares it, else null.</summary>
    public int? Width => Shape.Count > 0 && Shape[^1] > 0 ? (int)Shape[^1] : null;
}

/// <summary>The inputs a model takes and the outputs it gives.</summary>
/// <param name="Inputs">The standard inputs it declares.</param>
/// <param name="Outputs">Its outputs, in the model's order.</param>
public sealed record ModelSignature(ModelInputs Inputs, IReadOnlyList<ModelOutputInfo> Outputs)
{
    /// <summary>
    /// Where the model was loaded from (for a file-based backend, the full path of its model file), named in the
    /// errors raised about the model; null when the backend has no such location.
    /// </summary>
    public string? ModelPath { get; init; }

    /// <summary>
    /// True when a sequence's outputs depend slightly on the other sequences run with it in one batch (for example a
    /// model that computes its activation scales per batch). Such models give batch-independent results only when
    /// every sequence runs on its own (<see cref="EmbedderOptions.BatchIndependentResults"/>).
    /// </summary>
    public bool BatchDependent { get; init; }

    /// <summary>True when the model declares <paramref name="input"/>.</summary>
    /// <param name="input">The input to look for.</param>
    public bool Has(ModelInputs input) => (Inputs & input) == input;

    /// <summary>The first output of <paramref name="kind"/>, or null.</summary>
    /// <param name="kind">The kind to look for.</param>
    public ModelOutputInfo? Find(ModelOutputKind kind)
    {
        foreach (var output in Outputs)
            if (output.Kind == kind) return output;
        return null;
    }

    /// <summary>Classifies an output by its conventional name and rank.</summary>
    /// <param name="name">Output name.</param>
    /// <param name="rank">Number of dimensions.</param>
    public static ModelOutputKind Classify(string name, int rank) => name switch
    {
        "sentence_embedding" when rank == 2 => ModelOutputKind.SentenceEmbedding,
        "last_hidden_state" or "token_embeddings" when rank == 3 => ModelOutputKind.TokenEmbeddings,
        "logits" when rank == 3 => ModelOutputKind.Logits,
        "sparse_embedding" or "sparse_vector" when rank == 2 => ModelOutputKind.SparseEmbedding,
        _ => ModelOutputKind.Other,
    };
}
