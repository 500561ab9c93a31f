namespace Embeddings.TestModels.Bert;

/// <summary>
/// Every parameter of a BERT encoder plus its masked-LM head, as float32 arrays named like the Hugging Face
/// parameters (<c>embeddings.word_embeddings.weight</c>, <c>encoder.layer.0.attention.self.query</c>, …).
/// The same shape and seed always give the same values; the ONNX writer and <see cref="ReferenceBert"/>
/// both read these arrays.
/// </summary>
public sealed class BertWeights
{
    private BertWeights(BertShape shape, long seed)
    {
        shape.Validate();
        Shape = shape;
        Seed = seed;
        var random = new DeterministicWeights(seed);
        double std = shape.InitializerRange;
        int h = shape.Hidden;
        WordEmbeddings = random.Normal("embeddings.word_embeddings.weight", shape.Vocab * h, std);
        PositionEmbeddings = random.Normal("embeddings.position_embeddings.weight", checked(shape.MaxPositions * h), std);
        TokenTypeEmbeddings = random.Normal("embeddings.token_type_embeddings.weight", checked(shape.TypeVocab * h), std);
        EmbeddingLayerNorm = NormWeights.Random(random, "embeddings.LayerNorm", h, std);
        Layers = Enumerable.Range(0, shape.Layers).Select(i => new BertLayerWeights(random, shape, $"encoder.layer.{i}")).ToArray();
        MlmTransform = LinearWeights.Random(random, "cls.predictions.transform.dense", h, h, std);
        MlmLayerNorm = NormWeights.Random(random, "cls.predictions.transform.LayerNorm", h, std);
        MlmDecoderBias = random.Normal("cls.predictions.bias", shape.Vocab, std);
    }

    /// <summary>The dimensions.</summary>
    public BertShape Shape { get; }

    /// <summary>The seed the values came from.</summary>
    public long Seed { get; }

    /// <summary>[Vocab, Hidden]; also the MLM decoder's weight (tied, transposed).</summary>
    public float[] WordEmbeddings { get; }

    /// <summary>[MaxPositions, Hidden].</summary>
    public float[] PositionEmbeddings { get; }

    /// <summary>[TypeVocab, Hidden]. Without a <c>token_type_ids</c> input, row 0 is added to every token.</summary>
    public float[] TokenTypeEmbeddings { get; }

    /// <summary>The layer norm after the embedding sum.</summary>
    public NormWeights EmbeddingLayerNorm { get; }

    /// <summary>The transformer layers.</summary>
    public IReadOnlyList<BertLayerWeights> Layers { get; }

    /// <summary>MLM head: the dense layer before GELU.</summary>
    public LinearWeights MlmTransform { get; }

    /// <summary>MLM head: the layer norm after GELU.</summary>
    public NormWeights MlmLayerNorm { get; }

    /// <summary>MLM head: [Vocab] bias added to the logits.</summary>
    public float[] MlmDecoderBias { get; }

    /// <summary>
    /// Every parameter array with its name, in model order: the names are those of the ONNX initializers
    /// and of the Hugging Face parameters. Useful to copy weights in from another source.
    /// </summary>
    public IEnumerable<(string Name, float[] Values)> Parameters()
    {
        yield return ("embeddings.word_embeddings.weight", WordEmbeddings);
        yield return ("embeddings.position_embeddings.weight", PositionEmbeddings);
        yield return ("embeddings.token_type_embeddings.weight", TokenTypeEmbeddings);
        foreach (var p in EmbeddingLayerNorm.Parameters()) yield return p;
        foreach (var layer in Layers)
        {
            foreach (var p in layer.Query.Parameters()) yield return p;
            foreach (var p in layer.Key.Parameters()) yield return p;
            foreach (var p in layer.Value.Parameters()) yield return p;
            foreach (var p in layer.AttentionOutput.Parameters()) yield return p;
            foreach (var p in layer.AttentionLayerNorm.Parameters()) yield return p;
            foreach (var p in layer.Intermediate.Parameters()) yield return p;
            foreach (var p in layer.Output.Parameters()) yield return p;
            foreach (var p in layer.OutputLayerNorm.Parameters()) yield return p;
        }
        foreach (var p in MlmTransform.Parameters()) yield return p;
        foreach (var p in MlmLayerNorm.Parameters()) yield return p;
        yield return ("cls.predictions.bias", MlmDecoderBias);
    }

    /// <summary>Generates the weights of <paramref name="shape"/> from <paramref name="seed"/>.</summary>
    /// <param name="shape">The dimensions.</param>
    /// <param name="seed">Any number; equal seeds give equal weights.</param>
    /// <exception cref="ArgumentException">The shape is invalid.</exception>
    public static BertWeights Generate(BertShape shape, long seed)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return new BertWeights(shape, seed);
    }
}

/// <summary>One BERT transformer layer: self-attention, then the feed-forward block, each followed by residual + LayerNorm.</summary>
public sealed class BertLayerWeights
{
    internal BertLayerWeights(DeterministicWeights random, BertShape shape, string prefix)
    {
        double std = shape.InitializerRange;
        int h = shape.Hidden;
        Prefix = prefix;
        Query = LinearWeights.Random(random, prefix + ".attention.self.query", h, h, std);
        Key = LinearWeights.Random(random, prefix + ".attention.self.key", h, h, std);
        Value = LinearWeights.Random(random, prefix + ".attention.self.value", h, h, std);
        AttentionOutput = LinearWeights.Random(random, prefix + ".attention.output.dense", h, h, std);
        AttentionLayerNorm = NormWeights.Random(random, prefix + ".attention.output.LayerNorm", h, std);
        Intermediate = LinearWeights.Random(random, prefix + ".intermediate.dense", h, shape.Intermediate, std);
        Output = LinearWeights.Random(random, prefix + ".output.dense", shape.Intermediate, h, std);
        OutputLayerNorm = NormWeights.Random(random, prefix + ".output.LayerNorm", h, std);
    }

    /// <summary>The parameter prefix, e.g. <c>encoder.layer.0</c>.</summary>
    public string Prefix { get; }

    /// <summary>Query projection [Hidden, Hidden].</summary>
    public LinearWeights Query { get; }

    /// <summary>Key projection [Hidden, Hidden].</summary>
    public LinearWeights Key { get; }

    /// <summary>Value projection [Hidden, Hidden].</summary>
    public LinearWeights Value { get; }

    /// <summary>Attention output projection [Hidden, Hidden].</summary>
    public LinearWeights AttentionOutput { get; }

    /// <summary>LayerNorm after the attention residual.</summary>
    public NormWeights AttentionLayerNorm { get; }

    /// <summary>Feed-forward up projection [Hidden, Intermediate].</summary>
    public LinearWeights Intermediate { get; }

    /// <summary>Feed-forward down projection [Intermediate, Hidden].</summary>
    public LinearWeights Output { get; }

    /// <summary>LayerNorm after the feed-forward residual.</summary>
    public NormWeights OutputLayerNorm { get; }
}
