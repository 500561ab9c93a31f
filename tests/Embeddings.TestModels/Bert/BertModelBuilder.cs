using Embeddings.TestModels.Onnx;

namespace Embeddings.TestModels.Bert;

/// <summary>
/// Writes a BERT encoder as an ONNX model (opset 17, IR 8) from standard operators only, with the weights of
/// a <see cref="BertWeights"/>. Inputs are int64 [batch_size, sequence_length]; outputs follow
/// <see cref="BertGraphOptions"/>. <see cref="ReferenceBert"/> computes the same function independently.
/// </summary>
/// <example>
/// <code>
/// var weights = BertModelBuilder.Write(path, BertShape.Tiny with { Layers = 1 }, seed: 1,
///     new BertGraphOptions { TokenTypeIds = false, SentenceEmbeddingOutput = true });
/// </code>
/// </example>
public static class BertModelBuilder
{
    /// <summary>
    /// What the graph adds to the attention score of a padded key: <c>(1 − mask) × MaskedScoreBias</c>.
    /// Half of <see cref="float.MinValue"/> rather than −∞ or −10⁴: exp of it is exactly 0 next to any real
    /// score, yet adding it to a finite score (or to itself) stays finite, so a row whose keys are all
    /// padding still softmaxes to finite numbers instead of NaN.
    /// </summary>
    public const float MaskedScoreBias = float.MinValue / 2;

    /// <summary>Generates weights from <paramref name="seed"/>, writes the model to <paramref name="path"/> and returns the weights.</summary>
    /// <param name="path">The .onnx file to write (replaced if it exists).</param>
    /// <param name="shape">The dimensions.</param>
    /// <param name="seed">The weight seed.</param>
    /// <param name="options">Inputs and outputs; <see cref="BertGraphOptions.Default"/> when null.</param>
    public static BertWeights Write(string path, BertShape shape, long seed, BertGraphOptions? options = null)
    {
        var weights = BertWeights.Generate(shape, seed);
        Write(path, weights, options);
        return weights;
    }

    /// <summary>Writes a model with the given weights to <paramref name="path"/>, streaming the arrays to disk without copying them.</summary>
    /// <param name="path">The .onnx file to write (replaced if it exists).</param>
    /// <param name="weights">The weights.</param>
    /// <param name="options">Inputs and outputs; <see cref="BertGraphOptions.Default"/> when null.</param>
    public static void Write(string path, BertWeights weights, BertGraphOptions? options = null) =>
        Build(weights, options).Save(path);

    /// <summary>The model as an object graph that views <paramref name="weights"/>' arrays (for writing elsewhere or inspecting).</summary>
    /// <param name="weights">The weights.</param>
    /// <param name="options">Inputs and outputs; <see cref="BertGraphOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">The options select no output.</exception>
    public static OnnxModel Build(BertWeights weights, BertGraphOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        options ??= BertGraphOptions.Default;
        options.Validate();
        return new OnnxModel(new GraphWriter(weights, options).Build());
    }

    /// <summary>Emits the nodes; one instance per model.</summary>
    private sealed class GraphWriter(BertWeights weights, BertGraphOptions options)
    {
        private const string Batch = "batch_size";
        private const string Sequence = "sequence_length";
        private readonly OnnxGraphBuilder _g = new("bert");
        private readonly BertShape _shape = weights.Shape;

        public OnnxGraph Build()
        {
            var inputIds = _g.AddInput("input_ids", OnnxDataType.Int64, Batch, Sequence);
            var attentionMask = _g.AddInput("attention_mask", OnnxDataType.Int64, Batch, Sequence);
            var tokenTypeIds = options.TokenTypeIds ? _g.AddInput("token_type_ids", OnnxDataType.Int64, Batch, Sequence) : null;
            var positionIds = options.PositionIds ? _g.AddInput("position_ids", OnnxDataType.Int64, Batch, Sequence) : null;

            var wordEmbeddings = _g.Matrix("embeddings.word_embeddings.weight", weights.WordEmbeddings, _shape.Vocab, _shape.Hidden);
            var hidden = Embeddings(inputIds, tokenTypeIds, positionIds, wordEmbeddings);

            _g.Scope = "attention_mask/";
            var maskFloat = _g.Node("Cast", [attentionMask], OnnxAttribute.Int("to", (long)OnnxDataType.Float));
            var scoreBias = _g.Node("Unsqueeze", [
                _g.Node("Mul", [_g.Node("Sub", [_g.Scalar(1f), maskFloat]), _g.Scalar(MaskedScoreBias)]),
                _g.Int64s(1, 2)]);

            foreach (var layer in weights.Layers) hidden = Layer(layer, hidden, scoreBias);

            var outputType = options.Float16Outputs ? OnnxDataType.Float16 : OnnxDataType.Float;
            if (options.HiddenStateOutput)
                _g.Output(hidden, options.HiddenStateOutputName, outputType, Batch, Sequence, _shape.Hidden);
            if (options.SentenceEmbeddingOutput)
                _g.Output(MeanOverMask(hidden, maskFloat), "sentence_embedding", outputType, Batch, _shape.Hidden);
            if (options.LogitsOutput)
                _g.Output(MlmLogits(hidden, wordEmbeddings), "logits", outputType, Batch, Sequence, _shape.Vocab);
            return _g.Build();
        }

        private string Embeddings(string inputIds, string? tokenTypeIds, string? positionIds, string wordEmbeddings)
        {
            _g.Scope = "embeddings/";
            var positionTable = _g.Matrix("embeddings.position_embeddings.weight", weights.PositionEmbeddings, _shape.MaxPositions, _shape.Hidden);
            var typeTable = _g.Matrix("embeddings.token_type_embeddings.weight", weights.TokenTypeEmbeddings, _shape.TypeVocab, _shape.Hidden);
            var words = _g.Node("Gather", [wordEmbeddings, inputIds], OnnxAttribute.Int("axis", 0));
            // Without a position_ids input, the first sequence_length rows of the table broadcast over the batch.
            var positions = positionIds is not null
                ? _g.Node("Gather", [positionTable, positionIds], OnnxAttribute.Int("axis", 0))
                : _g.Node("Slice", [positionTable, _g.Int64s(0),
                    _g.Node("Shape", [inputIds], OnnxAttribute.Int("start", 1), OnnxAttribute.Int("end", 2)), _g.Int64s(0)]);
            var types = _g.Node("Gather", [typeTable, tokenTypeIds ?? _g.Scalar(0L)], OnnxAttribute.Int("axis", 0));
            var sum = _g.Node("Add", [_g.Node("Add", [words, positions]), types]);
            return LayerNorm(sum, weights.EmbeddingLayerNorm);
        }

        private string Layer(BertLayerWeights layer, string hidden, string scoreBias)
        {
            _g.Scope = layer.Prefix + "/";
            int heads = _shape.Heads, headSize = _shape.HeadSize;
            var splitHeads = _g.Int64s(0, 0, heads, headSize);
            // [B,T,H] → [B,T,heads,headSize] → [B,heads,T,headSize]; keys go to [B,heads,headSize,T] for Q·Kᵀ.
            var query = _g.Node("Transpose", [_g.Node("Reshape", [_g.Linear(hidden, layer.Query), splitHeads])], OnnxAttribute.Ints("perm", 0, 2, 1, 3));
            var keyT = _g.Node("Transpose", [_g.Node("Reshape", [_g.Linear(hidden, layer.Key), splitHeads])], OnnxAttribute.Ints("perm", 0, 2, 3, 1));
            var value = _g.Node("Transpose", [_g.Node("Reshape", [_g.Linear(hidden, layer.Value), splitHeads])], OnnxAttribute.Ints("perm", 0, 2, 1, 3));
            var scores = _g.Node("Mul", [_g.Node("MatMul", [query, keyT]), _g.Scalar((float)(1.0 / Math.Sqrt(headSize)))]);
            var probabilities = _g.Node("Softmax", [_g.Node("Add", [scores, scoreBias])], OnnxAttribute.Int("axis", -1));
            var context = _g.Node("Reshape", [
                _g.Node("Transpose", [_g.Node("MatMul", [probabilities, value])], OnnxAttribute.Ints("perm", 0, 2, 1, 3)),
                _g.Int64s(0, 0, _shape.Hidden)]);
            var attended = LayerNorm(_g.Node("Add", [_g.Linear(context, layer.AttentionOutput), hidden]), layer.AttentionLayerNorm);
            var feedForward = _g.Linear(Gelu(_g.Linear(attended, layer.Intermediate)), layer.Output);
            return LayerNorm(_g.Node("Add", [feedForward, attended]), layer.OutputLayerNorm);
        }

        private string MeanOverMask(string hidden, string maskFloat)
        {
            _g.Scope = "pooling/";
            var mask = _g.Node("Unsqueeze", [maskFloat, _g.Int64s(2)]);
            var keep = OnnxAttribute.Int("keepdims", 0);
            var sum = _g.Node("ReduceSum", [_g.Node("Mul", [hidden, mask]), _g.Int64s(1)], keep);
            // sentence-transformers clamps the token count at 1e-9 so an all-padding row divides by a tiny number, not 0.
            var count = _g.Node("Max", [_g.Node("ReduceSum", [mask, _g.Int64s(1)], keep), _g.Scalar(1e-9f)]);
            return _g.Node("Div", [sum, count]);
        }

        private string MlmLogits(string hidden, string wordEmbeddings)
        {
            _g.Scope = "cls/";
            var transformed = LayerNorm(Gelu(_g.Linear(hidden, weights.MlmTransform)), weights.MlmLayerNorm);
            var decoder = _g.Node("Transpose", [wordEmbeddings], OnnxAttribute.Ints("perm", 1, 0));
            var bias = _g.Vector("cls.predictions.bias", weights.MlmDecoderBias);
            return _g.Node("Add", [_g.Node("MatMul", [transformed, decoder]), bias]);
        }

        private string LayerNorm(string x, NormWeights norm)
        {
            var scale = _g.Vector(norm.Name + ".weight", norm.Scale);
            var bias = _g.Vector(norm.Name + ".bias", norm.Bias ?? new float[norm.Size]);
            return _g.Node("LayerNormalization", [x, scale, bias],
                OnnxAttribute.Int("axis", -1), OnnxAttribute.Float("epsilon", (float)_shape.LayerNormEpsilon));
        }

        /// <summary>GELU, exact form: x · ½ · (1 + erf(x / √2)).</summary>
        private string Gelu(string x)
        {
            var erf = _g.Node("Erf", [_g.Node("Div", [x, _g.Scalar((float)Math.Sqrt(2.0))])]);
            return _g.Node("Mul", [_g.Node("Mul", [x, _g.Node("Add", [erf, _g.Scalar(1f)])]), _g.Scalar(0.5f)]);
        }
    }
}
