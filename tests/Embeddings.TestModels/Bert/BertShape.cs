namespace Embeddings.TestModels.Bert;

/// <summary>
/// The dimensions of a BERT encoder (Hugging Face <c>BertConfig</c> names in the remarks). The activation is
/// always GELU in its exact erf form, and layer normalization comes after each residual (post-LN), as in BERT.
/// </summary>
/// <param name="Layers">Transformer layers (<c>num_hidden_layers</c>).</param>
/// <param name="Hidden">Hidden size (<c>hidden_size</c>); a multiple of <paramref name="Heads"/>.</param>
/// <param name="Heads">Attention heads (<c>num_attention_heads</c>).</param>
/// <param name="Intermediate">Feed-forward size (<c>intermediate_size</c>).</param>
/// <param name="Vocab">Vocabulary size (<c>vocab_size</c>).</param>
/// <param name="MaxPositions">Position embeddings, i.e. the longest sequence (<c>max_position_embeddings</c>).</param>
/// <param name="TypeVocab">Segment embeddings (<c>type_vocab_size</c>).</param>
/// <param name="LayerNormEpsilon">Added to the variance in every layer norm (<c>layer_norm_eps</c>).</param>
/// <param name="InitializerRange">Standard deviation of the random weights (<c>initializer_range</c>).</param>
public sealed record BertShape(
    int Layers,
    int Hidden,
    int Heads,
    int Intermediate,
    int Vocab,
    int MaxPositions = 512,
    int TypeVocab = 2,
    double LayerNormEpsilon = 1e-12,
    double InitializerRange = 0.02)
{
    /// <summary>2 layers, hidden 32, 4 heads, FFN 64, the 30,522-id BERT uncased vocabulary: the shape of the tiny fixtures.</summary>
    public static BertShape Tiny { get; } = new(Layers: 2, Hidden: 32, Heads: 4, Intermediate: 64, Vocab: 30522);

    /// <summary>The shape of all-MiniLM-L6-v2: 6 layers, hidden 384, 12 heads, FFN 1536 (about 90 MB as float32).</summary>
    public static BertShape MiniLmL6 { get; } = new(Layers: 6, Hidden: 384, Heads: 12, Intermediate: 1536, Vocab: 30522);

    /// <summary>The shape of bert-base: 12 layers, hidden 768, 12 heads, FFN 3072 (about 440 MB as float32).</summary>
    public static BertShape Base { get; } = new(Layers: 12, Hidden: 768, Heads: 12, Intermediate: 3072, Vocab: 30522);

    /// <summary>The size of one attention head.</summary>
    public int HeadSize => Hidden / Heads;

    /// <summary>Throws if the dimensions do not make a model.</summary>
    /// <exception cref="ArgumentException">A dimension is not positive, or the hidden size is not a multiple of the heads.</exception>
    public void Validate()
    {
        RequirePositive(Layers, nameof(Layers));
        RequirePositive(Hidden, nameof(Hidden));
        RequirePositive(Heads, nameof(Heads));
        RequirePositive(Intermediate, nameof(Intermediate));
        RequirePositive(Vocab, nameof(Vocab));
        RequirePositive(MaxPositions, nameof(MaxPositions));
        RequirePositive(TypeVocab, nameof(TypeVocab));
        if (Hidden % Heads != 0)
            throw new ArgumentException($"BertShape: Hidden ({Hidden}) must be a multiple of Heads ({Heads}).");
        if (!(LayerNormEpsilon > 0)) throw new ArgumentException($"BertShape: LayerNormEpsilon must be positive, not {LayerNormEpsilon}.");
        if (!(InitializerRange >= 0)) throw new ArgumentException($"BertShape: InitializerRange must be ≥ 0, not {InitializerRange}.");
        if ((long)Vocab * Hidden > Array.MaxLength)
            throw new ArgumentException($"BertShape: the word embedding table ({Vocab} × {Hidden}) exceeds the largest .NET array.");
    }

    private static void RequirePositive(int value, string name)
    {
        if (value < 1) throw new ArgumentException($"BertShape: {name} must be ≥ 1, not {value}.");
    }
}
