namespace Embeddings.TestModels.Decoder;

/// <summary>
/// Every parameter of a Qwen3-like decoder as float32 arrays named like the Hugging Face parameters
/// (<c>model.embed_tokens.weight</c>, <c>model.layers.0.self_attn.q_proj</c>, …). Projections are stored
/// [in, out] (ONNX MatMul layout). The same shape and seed always give the same values.
/// </summary>
public sealed class DecoderWeights
{
    private DecoderWeights(DecoderShape shape, long seed)
    {
        shape.Validate();
        Shape = shape;
        Seed = seed;
        var random = new DeterministicWeights(seed);
        double std = shape.InitializerRange;
        EmbeddingTables = shape.EmbeddingHashBuckets is { } buckets
            ? buckets.Select((rows, i) => random.Normal($"model.embed_tokens.hash{i}.weight", checked(rows * shape.Hidden), std)).ToArray()
            : [random.Normal("model.embed_tokens.weight", shape.Vocab * shape.Hidden, std)];
        RotaryInverseFrequencies = InverseFrequencies(shape);
        Layers = Enumerable.Range(0, shape.Layers).Select(i => new DecoderLayerWeights(random, shape, $"model.layers.{i}")).ToArray();
        FinalNorm = NormWeights.Random(random, "model.norm", shape.Hidden, std, withBias: false);
    }

    /// <summary>The dimensions.</summary>
    public DecoderShape Shape { get; }

    /// <summary>The seed the values came from.</summary>
    public long Seed { get; }

    /// <summary>
    /// The token embedding: one [Vocab, Hidden] table, or with <see cref="DecoderShape.EmbeddingHashBuckets"/>
    /// one [bᵢ, Hidden] table per bucket count, summed at rows <c>id mod bᵢ</c>.
    /// </summary>
    public IReadOnlyList<float[]> EmbeddingTables { get; }

    /// <summary>
    /// Rotary inverse frequencies θ^(−2i/HeadSize) for i &lt; HeadSize/2, rounded to float32 (as Hugging Face keeps
    /// them); the graph and the reference both use these values.
    /// </summary>
    public float[] RotaryInverseFrequencies { get; }

    /// <summary>The transformer layers.</summary>
    public IReadOnlyList<DecoderLayerWeights> Layers { get; }

    /// <summary>The RMSNorm after the last layer.</summary>
    public NormWeights FinalNorm { get; }

    /// <summary>The name of embedding table <paramref name="index"/>.</summary>
    /// <param name="index">The table's position in <see cref="EmbeddingTables"/>.</param>
    public string EmbeddingTableName(int index) =>
        Shape.EmbeddingHashBuckets is null ? "model.embed_tokens.weight" : $"model.embed_tokens.hash{index}.weight";

    /// <summary>The number of rows of embedding table <paramref name="index"/>.</summary>
    /// <param name="index">The table's position in <see cref="EmbeddingTables"/>.</param>
    public int EmbeddingTableRows(int index) => Shape.EmbeddingHashBuckets?[index] ?? Shape.Vocab;

    /// <summary>Every parameter array with its name, in model order (the ONNX initializer names).</summary>
    public IEnumerable<(string Name, float[] Values)> Parameters()
    {
        for (int i = 0; i < EmbeddingTables.Count; i++) yield return (EmbeddingTableName(i), EmbeddingTables[i]);
        yield return ("model.rotary_emb.inv_freq", RotaryInverseFrequencies);
        foreach (var layer in Layers)
            foreach (var p in layer.Parameters()) yield return p;
        foreach (var p in FinalNorm.Parameters()) yield return p;
    }

    /// <summary>Generates the weights of <paramref name="shape"/> from <paramref name="seed"/>.</summary>
    /// <param name="shape">The dimensions.</param>
    /// <param name="seed">Any number; equal seeds give equal weights.</param>
    /// <exception cref="ArgumentException">The shape is invalid.</exception>
    public static DecoderWeights Generate(DecoderShape shape, long seed)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return new DecoderWeights(shape, seed);
    }

    private static float[] InverseFrequencies(DecoderShape shape)
    {
        var values = new float[shape.HeadSize / 2];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(1.0 / Math.Pow(shape.RopeTheta, 2.0 * i / shape.HeadSize));
        return values;
    }
}

/// <summary>One decoder layer: RMSNorm → grouped-query attention → residual, RMSNorm → SwiGLU → residual.</summary>
public sealed class DecoderLayerWeights
{
    internal DecoderLayerWeights(DeterministicWeights random, DecoderShape shape, string prefix)
    {
        double std = shape.InitializerRange;
        int h = shape.Hidden, queryWidth = shape.Heads * shape.HeadSize, keyValueWidth = shape.KeyValueHeads * shape.HeadSize;
        Prefix = prefix;
        InputNorm = NormWeights.Random(random, prefix + ".input_layernorm", h, std, withBias: false);
        Query = LinearWeights.Random(random, prefix + ".self_attn.q_proj", h, queryWidth, std, withBias: false);
        Key = LinearWeights.Random(random, prefix + ".self_attn.k_proj", h, keyValueWidth, std, withBias: false);
        Value = LinearWeights.Random(random, prefix + ".self_attn.v_proj", h, keyValueWidth, std, withBias: false);
        AttentionOutput = LinearWeights.Random(random, prefix + ".self_attn.o_proj", queryWidth, h, std, withBias: false);
        QueryNorm = NormWeights.Random(random, prefix + ".self_attn.q_norm", shape.HeadSize, std, withBias: false);
        KeyNorm = NormWeights.Random(random, prefix + ".self_attn.k_norm", shape.HeadSize, std, withBias: false);
        PostAttentionNorm = NormWeights.Random(random, prefix + ".post_attention_layernorm", h, std, withBias: false);
        Gate = LinearWeights.Random(random, prefix + ".mlp.gate_proj", h, shape.Intermediate, std, withBias: false);
        Up = LinearWeights.Random(random, prefix + ".mlp.up_proj", h, shape.Intermediate, std, withBias: false);
        Down = LinearWeights.Random(random, prefix + ".mlp.down_proj", shape.Intermediate, h, std, withBias: false);
    }

    /// <summary>The parameter prefix, e.g. <c>model.layers.0</c>.</summary>
    public string Prefix { get; }

    /// <summary>RMSNorm before attention.</summary>
    public NormWeights InputNorm { get; }

    /// <summary>Query projection [Hidden, Heads × HeadSize].</summary>
    public LinearWeights Query { get; }

    /// <summary>Key projection [Hidden, KeyValueHeads × HeadSize].</summary>
    public LinearWeights Key { get; }

    /// <summary>Value projection [Hidden, KeyValueHeads × HeadSize].</summary>
    public LinearWeights Value { get; }

    /// <summary>Attention output projection [Heads × HeadSize, Hidden].</summary>
    public LinearWeights AttentionOutput { get; }

    /// <summary>Per-head RMSNorm on queries [HeadSize].</summary>
    public NormWeights QueryNorm { get; }

    /// <summary>Per-head RMSNorm on keys [HeadSize].</summary>
    public NormWeights KeyNorm { get; }

    /// <summary>RMSNorm before the feed-forward block.</summary>
    public NormWeights PostAttentionNorm { get; }

    /// <summary>SwiGLU gate [Hidden, Intermediate].</summary>
    public LinearWeights Gate { get; }

    /// <summary>SwiGLU up projection [Hidden, Intermediate].</summary>
    public LinearWeights Up { get; }

    /// <summary>SwiGLU down projection [Intermediate, Hidden].</summary>
    public LinearWeights Down { get; }

    /// <summary>The named arrays of this layer, in the order the Hugging Face module lists them.</summary>
    public IEnumerable<(string Name, float[] Values)> Parameters() =>
        new[]
        {
            InputNorm.Parameters(), Query.Parameters(), Key.Parameters(), Value.Parameters(), AttentionOutput.Parameters(),
            QueryNorm.Parameters(), KeyNorm.Parameters(), PostAttentionNorm.Parameters(), Gate.Parameters(), Up.Parameters(),
            Down.Parameters(),
        }.SelectMany(p => p);
}
