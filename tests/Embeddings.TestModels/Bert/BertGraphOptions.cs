namespace Embeddings.TestModels.Bert;

/// <summary>
/// Which inputs and outputs a written BERT graph declares: the signatures an embedding library meets in
/// real exports (BERT with segment ids, RoBERTa-like without, pooled sentence-transformers exports,
/// masked-LM heads for SPLADE, float16 exports). The weights do not depend on these options.
/// </summary>
public sealed record BertGraphOptions
{
    /// <summary>Declare an int64 <c>token_type_ids</c> input (BERT). When false (RoBERTa-like), row 0 of the segment table is added to every token.</summary>
    public bool TokenTypeIds { get; init; } = true;

    /// <summary>Declare an int64 <c>position_ids</c> input. When false, positions are 0 … sequence_length − 1.</summary>
    public bool PositionIds { get; init; }

    /// <summary>Give the per-token hidden states [batch_size, sequence_length, hidden] as an output.</summary>
    public bool HiddenStateOutput { get; init; } = true;

    /// <summary>The name of the per-token output: <c>last_hidden_state</c> (Optimum) or <c>token_embeddings</c> (sentence-transformers).</summary>
    public string HiddenStateOutputName { get; init; } = "last_hidden_state";

    /// <summary>Also give <c>sentence_embedding</c> [batch_size, hidden]: the mean of the hidden states over the attention mask, computed in the graph.</summary>
    public bool SentenceEmbeddingOutput { get; init; }

    /// <summary>Also give masked-LM <c>logits</c> [batch_size, sequence_length, vocab]: dense + GELU + LayerNorm, then the tied word embeddings + bias.</summary>
    public bool LogitsOutput { get; init; }

    /// <summary>Cast every output to float16 (the graph itself computes in float32), as some exports do.</summary>
    public bool Float16Outputs { get; init; }

    /// <summary>The default: <c>input_ids</c>, <c>attention_mask</c>, <c>token_type_ids</c> in; <c>last_hidden_state</c> out.</summary>
    public static BertGraphOptions Default { get; } = new();

    /// <summary>Throws if the options describe no output or an unnamed one.</summary>
    /// <exception cref="ArgumentException">No output is selected, or the hidden-state output has no usable name.</exception>
    public void Validate()
    {
        if (!HiddenStateOutput && !SentenceEmbeddingOutput && !LogitsOutput)
            throw new ArgumentException("BertGraphOptions: select at least one output (hidden states, sentence embedding or logits).");
        if (HiddenStateOutput && string.IsNullOrEmpty(HiddenStateOutputName))
            throw new ArgumentException("BertGraphOptions: HiddenStateOutputName is empty.");
        if (HiddenStateOutput && HiddenStateOutputName is "sentence_embedding" or "logits" or "input_ids" or "attention_mask"
            or "token_type_ids" or "position_ids")
            throw new ArgumentException($"BertGraphOptions: HiddenStateOutputName '{HiddenStateOutputName}' is taken by another input or output.");
    }
}
