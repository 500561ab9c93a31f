namespace Embeddings.TestModels.Decoder;

/// <summary>
/// The dimensions of a Qwen3-like causal decoder (Hugging Face <c>Qwen3Config</c> names in the remarks):
/// RMSNorm before attention and MLP, per-head RMSNorm on queries and keys, rotary positions, grouped-query
/// attention, a SwiGLU feed-forward block, and a final RMSNorm. No biases.
/// </summary>
/// <param name="Layers">Transformer layers (<c>num_hidden_layers</c>).</param>
/// <param name="Hidden">Hidden size (<c>hidden_size</c>).</param>
/// <param name="Heads">Query heads (<c>num_attention_heads</c>).</param>
/// <param name="KeyValueHeads">Key/value heads (<c>num_key_value_heads</c>); divides <paramref name="Heads"/>.</param>
/// <param name="HeadSize">Size of one head (<c>head_dim</c>); even, for the rotary halves.</param>
/// <param name="Intermediate">Feed-forward size (<c>intermediate_size</c>).</param>
/// <param name="Vocab">Vocabulary size (<c>vocab_size</c>).</param>
/// <param name="MaxPositions">The longest sequence (<c>max_position_embeddings</c>).</param>
/// <param name="RopeTheta">Rotary base (<c>rope_theta</c>).</param>
/// <param name="RmsNormEpsilon">Added to the mean square in every RMSNorm (<c>rms_norm_eps</c>).</param>
/// <param name="InitializerRange">Standard deviation of the random weights (<c>initializer_range</c>).</param>
public sealed record DecoderShape(
    int Layers,
    int Hidden,
    int Heads,
    int KeyValueHeads,
    int HeadSize,
    int Intermediate,
    int Vocab,
    int MaxPositions = 512,
    double RopeTheta = 10000,
    double RmsNormEpsilon = 1e-6,
    double InitializerRange = 0.02)
{
    /// <summary>
    /// Instead of a [Vocab, Hidden] table, token <c>id</c> embeds as <c>Σᵢ Tᵢ[id mod bᵢ]</c> with one small table
    /// per bucket count bᵢ (pairwise coprime counts give every id below their product its own sum). Keeps a
    /// 151,665-id vocabulary small on disk; null (the default) for an ordinary table.
    /// </summary>
    public IReadOnlyList<int>? EmbeddingHashBuckets { get; init; }

    /// <summary>The shape of the decoder-last-tiny fixture: 2 layers, hidden 32, 4 heads (2 key/value) of 8, FFN 64, the Qwen2.5 vocabulary hashed into 1021 + 1031 rows.</summary>
    public static DecoderShape Tiny { get; } = new(Layers: 2, Hidden: 32, Heads: 4, KeyValueHeads: 2, HeadSize: 8, Intermediate: 64, Vocab: 151665)
    {
        EmbeddingHashBuckets = [1021, 1031],
    };

    /// <summary>
    /// The shape of Qwen3-Embedding-0.6B (28 layers, hidden 1024, 16 heads, 8 key/value heads of 128, FFN 3072,
    /// rope θ 1,000,000) with a hashed token embedding, so the file stays under protobuf's 2 GiB (about 1.77 GB).
    /// The embedding lookup is negligible work, so throughput matches the real model's.
    /// </summary>
    public static DecoderShape Qwen3_0_6B { get; } = new(Layers: 28, Hidden: 1024, Heads: 16, KeyValueHeads: 8, HeadSize: 128, Intermediate: 3072,
        Vocab: 151669, MaxPositions: 32768, RopeTheta: 1_000_000)
    {
        EmbeddingHashBuckets = [1021, 1031],
    };

    /// <summary>Query heads per key/value head.</summary>
    public int GroupSize => Heads / KeyValueHeads;

    /// <summary>Throws if the dimensions do not make a model.</summary>
    /// <exception cref="ArgumentException">A dimension is not positive, heads do not group, or the head size is odd.</exception>
    public void Validate()
    {
        RequirePositive(Layers, nameof(Layers));
        RequirePositive(Hidden, nameof(Hidden));
        RequirePositive(Heads, nameof(Heads));
        RequirePositive(KeyValueHeads, nameof(KeyValueHeads));
        RequirePositive(HeadSize, nameof(HeadSize));
        RequirePositive(Intermediate, nameof(Intermediate));
        RequirePositive(Vocab, nameof(Vocab));
        RequirePositive(MaxPositions, nameof(MaxPositions));
        if (Heads % KeyValueHeads != 0)
            throw new ArgumentException($"DecoderShape: Heads ({Heads}) must be a multiple of KeyValueHeads ({KeyValueHeads}).");
        if (HeadSize % 2 != 0) throw new ArgumentException($"DecoderShape: HeadSize ({HeadSize}) must be even for rotary embeddings.");
        if (!(RopeTheta > 1)) throw new ArgumentException($"DecoderShape: RopeTheta must be > 1, not {RopeTheta}.");
        if (!(RmsNormEpsilon > 0)) throw new ArgumentException($"DecoderShape: RmsNormEpsilon must be positive, not {RmsNormEpsilon}.");
        if (!(InitializerRange >= 0)) throw new ArgumentException($"DecoderShape: InitializerRange must be ≥ 0, not {InitializerRange}.");
        if (EmbeddingHashBuckets is { } buckets)
        {
            if (buckets.Count == 0 || buckets.Any(b => b < 1))
                throw new ArgumentException("DecoderShape: EmbeddingHashBuckets must hold at least one positive count.");
        }
        else if ((long)Vocab * Hidden > Array.MaxLength)
            throw new ArgumentException($"DecoderShape: the embedding table ({Vocab} × {Hidden}) exceeds the largest .NET array; use EmbeddingHashBuckets.");
    }

    private static void RequirePositive(int value, string name)
    {
        if (value < 1) throw new ArgumentException($"DecoderShape: {name} must be ≥ 1, not {value}.");
    }
}
