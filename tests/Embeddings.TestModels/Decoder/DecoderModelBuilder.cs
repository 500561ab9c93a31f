using Embeddings.TestModels.Bert;
using Embeddings.TestModels.Onnx;

namespace Embeddings.TestModels.Decoder;

/// <summary>
/// Writes a Qwen3-like causal decoder as an ONNX model (opset 17, IR 8) from standard operators, with the
/// weights of a <see cref="DecoderWeights"/>. Inputs are int64 [batch_size, sequence_length]; the output is
/// the final-normed <c>last_hidden_state</c> [batch_size, sequence_length, hidden]. Positions come from the
/// mask, so left- and right-padded batches give every real token the state it has alone.
/// <see cref="ReferenceDecoder"/> computes the same function independently.
/// </summary>
public static class DecoderModelBuilder
{
    /// <summary>Generates weights from <paramref name="seed"/>, writes the model to <paramref name="path"/> and returns the weights.</summary>
    /// <param name="path">The .onnx file to write (replaced if it exists).</param>
    /// <param name="shape">The dimensions.</param>
    /// <param name="seed">The weight seed.</param>
    /// <param name="options">Inputs and outputs; <see cref="DecoderGraphOptions.Default"/> when null.</param>
    public static DecoderWeights Write(string path, DecoderShape shape, long seed, DecoderGraphOptions? options = null)
    {
        var weights = DecoderWeights.Generate(shape, seed);
        Write(path, weights, options);
        return weights;
    }

    /// <summary>Writes a model with the given weights to <paramref name="path"/>, streaming the arrays to disk without copying them.</summary>
    /// <param name="path">The .onnx file to write (replaced if it exists).</param>
    /// <param name="weights">The weights.</param>
    /// <param name="options">Inputs and outputs; <see cref="DecoderGraphOptions.Default"/> when null.</param>
    public static void Write(string path, DecoderWeights weights, DecoderGraphOptions? options = null) =>
        Build(weights, options).Save(path);

    /// <summary>The model as an object graph that views <paramref name="weights"/>' arrays.</summary>
    /// <param name="weights">The weights.</param>
    /// <param name="options">Inputs and outputs; <see cref="DecoderGraphOptions.Default"/> when null.</param>
    public static OnnxModel Build(DecoderWeights weights, DecoderGraphOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        options ??= DecoderGraphOptions.Default;
        options.Validate();
        return new OnnxModel(new GraphWriter(weights, options).Build());
    }

    /// <summary>Emits the nodes; one instance per model.</summary>
    private sealed class GraphWriter(DecoderWeights weights, DecoderGraphOptions options)
    {
        private const string Batch = "batch_size";
        private const string Sequence = "sequence_length";
        private readonly OnnxGraphBuilder _g = new("decoder");
        private readonly DecoderShape _shape = weights.Shape;

        public OnnxGraph Build()
        {
            var inputIds = _g.AddInput("input_ids", OnnxDataType.Int64, Batch, Sequence);
            var attentionMask = _g.AddInput("attention_mask", OnnxDataType.Int64, Batch, Sequence);
            var positionIds = options.PositionIds ? _g.AddInput("position_ids", OnnxDataType.Int64, Batch, Sequence) : null;

            var hidden = TokenEmbeddings(inputIds);
            var (cos, sin) = Rotary(positionIds ?? PositionsFromMask(attentionMask));
            var scoreBias = CausalPaddingBias(inputIds, attentionMask);
            foreach (var layer in weights.Layers) hidden = Layer(layer, hidden, cos, sin, scoreBias);

            _g.Scope = "model.norm/";
            hidden = RmsNorm(hidden, weights.FinalNorm);
            _g.Output(hidden, options.HiddenStateOutputName, options.Float16Outputs ? OnnxDataType.Float16 : OnnxDataType.Float,
                Batch, Sequence, _shape.Hidden);
            return _g.Build();
        }

        private string TokenEmbeddings(string inputIds)
        {
            _g.Scope = "model.embed_tokens/";
            string? sum = null;
            for (int i = 0; i < weights.EmbeddingTables.Count; i++)
            {
                var table = _g.Matrix(weights.EmbeddingTableName(i), weights.EmbeddingTables[i], weights.EmbeddingTableRows(i), _shape.Hidden);
                var rows = _shape.EmbeddingHashBuckets is null
                    ? inputIds
                    : _g.Node("Mod", [inputIds, _g.Scalar((long)weights.EmbeddingTableRows(i))], OnnxAttribute.Int("fmod", 0));
                var embedded = _g.Node("Gather", [table, rows], OnnxAttribute.Int("axis", 0));
                sum = sum is null ? embedded : _g.Node("Add", [sum, embedded]);
            }
            return sum!;
        }

        /// <summary>cumsum(mask) − 1 for real tokens and 1 for padding, as Hugging Face derives decoder positions.</summary>
        private string PositionsFromMask(string attentionMask)
        {
            _g.Scope = "positions/";
            var counted = _g.Node("Sub", [_g.Node("CumSum", [attentionMask, _g.Scalar(1L)]), _g.Scalar(1L)]);
            var padding = _g.Node("Equal", [attentionMask, _g.Scalar(0L)]);
            return _g.Node("Where", [padding, _g.Scalar(1L), counted]);
        }

        /// <summary>cos and sin of position × inverse frequency, duplicated over both halves: [B, 1, T, HeadSize].</summary>
        private (string Cos, string Sin) Rotary(string positions)
        {
            _g.Scope = "model.rotary_emb/";
            var inverseFrequencies = _g.Vector("model.rotary_emb.inv_freq", weights.RotaryInverseFrequencies);
            var angles = _g.Node("Mul", [
                _g.Node("Unsqueeze", [_g.Node("Cast", [positions], OnnxAttribute.Int("to", (long)OnnxDataType.Float)), _g.Int64s(2)]),
                inverseFrequencies]);
            var both = _g.Node("Concat", [angles, angles], OnnxAttribute.Int("axis", -1));
            return (_g.Node("Unsqueeze", [_g.Node("Cos", [both]), _g.Int64s(1)]),
                _g.Node("Unsqueeze", [_g.Node("Sin", [both]), _g.Int64s(1)]));
        }

        /// <summary>
        /// 0 where query i may see key j (j ≤ i and j is not padding), <see cref="BertModelBuilder.MaskedScoreBias"/>
        /// elsewhere, shaped [B, 1, 1, T, T] to broadcast over the grouped heads. A left-padding query sees no key
        /// at all: its row becomes uniform rather than NaN, and its output is garbage by design.
        /// </summary>
        private string CausalPaddingBias(string inputIds, string attentionMask)
        {
            _g.Scope = "mask/";
            var length = _g.Node("Gather", [_g.Node("Shape", [inputIds]), _g.Scalar(1L)], OnnxAttribute.Int("axis", 0));
            var range = _g.Node("Range", [_g.Scalar(0L), length, _g.Scalar(1L)]);
            var causal = _g.Node("LessOrEqual", [_g.Node("Unsqueeze", [range, _g.Int64s(0)]), _g.Node("Unsqueeze", [range, _g.Int64s(1)])]);
            var keys = _g.Node("Unsqueeze", [_g.Node("Cast", [attentionMask], OnnxAttribute.Int("to", (long)OnnxDataType.Bool)), _g.Int64s(1)]);
            var bias = _g.Node("Where", [_g.Node("And", [causal, keys]), _g.Scalar(0f), _g.Scalar(BertModelBuilder.MaskedScoreBias)]);
            return _g.Node("Unsqueeze", [bias, _g.Int64s(1, 2)]);
        }

        private string Layer(DecoderLayerWeights layer, string hidden, string cos, string sin, string scoreBias)
        {
            _g.Scope = layer.Prefix + "/";
            int heads = _shape.Heads, groups = _shape.KeyValueHeads, headSize = _shape.HeadSize;
            var x = RmsNorm(hidden, layer.InputNorm);

            // Queries [B, heads, T, d] regrouped as [B, kvHeads, groupSize, T, d]: query head h reads key/value head
            // h / groupSize, and MatMul broadcasts the keys [B, kvHeads, 1, d, T] over the group.
            var query = Rope(HeadsFirst(RmsNorm(_g.Node("Reshape", [_g.Linear(x, layer.Query), _g.Int64s(0, 0, heads, headSize)]), layer.QueryNorm)), cos, sin);
            var groupedQuery = _g.Node("Reshape", [query, _g.Int64s(0, groups, _shape.GroupSize, -1, headSize)]);
            var key = Rope(HeadsFirst(RmsNorm(_g.Node("Reshape", [_g.Linear(x, layer.Key), _g.Int64s(0, 0, groups, headSize)]), layer.KeyNorm)), cos, sin);
            var keyT = _g.Node("Transpose", [_g.Node("Unsqueeze", [key, _g.Int64s(2)])], OnnxAttribute.Ints("perm", 0, 1, 2, 4, 3));
            var value = _g.Node("Unsqueeze", [
                HeadsFirst(_g.Node("Reshape", [_g.Linear(x, layer.Value), _g.Int64s(0, 0, groups, headSize)])), _g.Int64s(2)]);

            var scores = _g.Node("Mul", [_g.Node("MatMul", [groupedQuery, keyT]), _g.Scalar((float)(1.0 / Math.Sqrt(headSize)))]);
            var probabilities = _g.Node("Softmax", [_g.Node("Add", [scores, scoreBias])], OnnxAttribute.Int("axis", -1));
            var context = _g.Node("Reshape", [_g.Node("MatMul", [probabilities, value]), _g.Int64s(0, heads, -1, headSize)]);
            var merged = _g.Node("Reshape", [HeadsFirst(context), _g.Int64s(0, 0, heads * headSize)]);
            hidden = _g.Node("Add", [hidden, _g.Linear(merged, layer.AttentionOutput)]);

            var y = RmsNorm(hidden, layer.PostAttentionNorm);
            var gate = _g.Linear(y, layer.Gate);
            var activated = _g.Node("Mul", [_g.Node("Mul", [gate, _g.Node("Sigmoid", [gate])]), _g.Linear(y, layer.Up)]);
            return _g.Node("Add", [hidden, _g.Linear(activated, layer.Down)]);
        }

        /// <summary>Swaps axes 1 and 2 of a 4-D tensor: [B, T, heads, d] ↔ [B, heads, T, d].</summary>
        private string HeadsFirst(string x) => _g.Node("Transpose", [x], OnnxAttribute.Ints("perm", 0, 2, 1, 3));

        /// <summary>x · cos + rotate_half(x) · sin, with rotate_half(x) = [−x₂, x₁] over the two halves of the last axis.</summary>
        private string Rope(string x, string cos, string sin)
        {
            int half = _shape.HeadSize / 2;
            var axis = _g.Int64s(-1);
            var first = _g.Node("Slice", [x, _g.Int64s(0), _g.Int64s(half), axis]);
            var second = _g.Node("Slice", [x, _g.Int64s(half), _g.Int64s(_shape.HeadSize), axis]);
            var rotated = _g.Node("Concat", [_g.Node("Neg", [second]), first], OnnxAttribute.Int("axis", -1));
            return _g.Node("Add", [_g.Node("Mul", [x, cos]), _g.Node("Mul", [rotated, sin])]);
        }

        /// <summary>x / √(mean(x²) + ε) · γ over the last axis (opset 17 ReduceMean takes its axes as an attribute).</summary>
        private string RmsNorm(string x, NormWeights norm)
        {
            var meanSquare = _g.Node("ReduceMean", [_g.Node("Mul", [x, x])], OnnxAttribute.Ints("axes", -1), OnnxAttribute.Int("keepdims", 1));
            var rms = _g.Node("Sqrt", [_g.Node("Add", [meanSquare, _g.Scalar((float)_shape.RmsNormEpsilon)])]);
            return _g.Node("Mul", [_g.Node("Div", [x, rms]), _g.Vector(norm.Name + ".weight", norm.Scale)]);
        }
    }
}
