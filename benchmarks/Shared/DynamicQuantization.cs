using Embeddings.TestModels.Onnx;

namespace Embeddings.Benchmarks;

/// <summary>
/// Dynamic int8 quantization of an ONNX model's dense layers, as ONNX Runtime's <c>quantize_dynamic</c> does it
/// (weight type int8, per-tensor, symmetric): every <c>MatMul(x, W)</c> whose W is a 2-D float initializer used
/// by that node alone becomes
/// <code>
///   DynamicQuantizeLinear(x)            → x_q (uint8), x_scale, x_zero_point   (per batch, at run time)
///   MatMulInteger(x_q, W_q, x_zero_point, 0) → int32
///   Cast(float) · (x_scale · W_scale)   → the MatMul's original output
/// </code>
/// with W_q = round(W / W_scale), W_scale = max|W| / 127. ONNX Runtime's optimizer fuses this pattern into its
/// DynamicQuantizeMatMul kernel. Attention's activation-by-activation products, embeddings and layer norms stay
/// float32, as in <c>quantize_dynamic</c>.
/// </summary>
/// <remarks>
/// The ONNX writer here stores float and int64 tensors only, so W_q is stored as float32 holding the integers
/// −127…127, followed by a Cast to int8; ONNX Runtime folds that Cast into an int8 initializer when it loads the
/// model (constant folding, before the fusions), so the session computes exactly as with an int8 file. Only the
/// file is four times larger than a real int8 export.
/// </remarks>
public static class DynamicQuantization
{
    private const long Int8 = 3;   // TensorProto.DataType INT8
    private const long Float = 1;  // TensorProto.DataType FLOAT

    /// <summary>The quantized model (a new object graph; <paramref name="model"/> is not changed).</summary>
    /// <returns>The model and the number of MatMul nodes quantized.</returns>
    public static (OnnxModel Model, int Quantized) Quantize(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        var initializers = graph.Initializers.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var uses = graph.Nodes.SelectMany(n => n.Inputs).GroupBy(i => i, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        var nodes = new List<OnnxNode>(graph.Nodes.Count);
        var added = new List<OnnxTensor>();
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            if (node.OpType != "MatMul" || node.Inputs.Count != 2
                || !initializers.TryGetValue(node.Inputs[1], out var weight)
                || weight.DataType != OnnxDataType.Float || weight.Dims.Count != 2 || uses[weight.Name] != 1)
            {
                nodes.Add(node);
                continue;
            }

            var (values, scale) = QuantizeSymmetric(weight.FloatData.Span);
            string w = weight.Name, p = node.Name;
            added.Add(OnnxTensor.Float(w + "_quantized_values", [.. weight.Dims], values));
            added.Add(OnnxTensor.Float(w + "_scale", [], new[] { scale }));
            added.Add(OnnxTensor.Float(w + "_zero_point_value", [], new[] { 0f }));
            replaced.Add(w);

            nodes.Add(new OnnxNode("Cast", p + "/weight_cast", [w + "_quantized_values"], [w + "_quantized"], [OnnxAttribute.Int("to", Int8)]));
            nodes.Add(new OnnxNode("Cast", p + "/zero_point_cast", [w + "_zero_point_value"], [w + "_zero_point"], [OnnxAttribute.Int("to", Int8)]));
            nodes.Add(new OnnxNode("DynamicQuantizeLinear", p + "/quantize_input", [node.Inputs[0]],
                [p + "/input_quantized", p + "/input_scale", p + "/input_zero_point"]));
            nodes.Add(new OnnxNode("MatMulInteger", p + "/matmul_integer",
                [p + "/input_quantized", w + "_quantized", p + "/input_zero_point", w + "_zero_point"], [p + "/product_int32"]));
            nodes.Add(new OnnxNode("Cast", p + "/product_cast", [p + "/product_int32"], [p + "/product_float"], [OnnxAttribute.Int("to", Float)]));
            nodes.Add(new OnnxNode("Mul", p + "/scale", [p + "/input_scale", w + "_scale"], [p + "/product_scale"]));
            nodes.Add(new OnnxNode("Mul", p + "/rescale", [p + "/product_float", p + "/product_scale"], [node.Outputs[0]]));
        }

        var kept = graph.Initializers.Where(t => !replaced.Contains(t.Name)).Concat(added).ToArray();
        var quantized = new OnnxGraph(graph.Name, nodes, kept, graph.Inputs, graph.Outputs);
        return (new OnnxModel(quantized, model.OpsetVersion, model.IrVersion), replaced.Count);
    }

    /// <summary>round(w / s) with s = max|w| / 127, as floats holding integers in −127…127.</summary>
    private static (float[] Values, float Scale) QuantizeSymmetric(ReadOnlySpan<float> weights)
    {
        float max = 0;
        foreach (float value in weights) max = Math.Max(max, Math.Abs(value));
        float scale = max > 0 ? max / 127f : 1f;
        var values = new float[weights.Length];
        for (int i = 0; i < values.Length; i++)
            values[i] = Math.Clamp(MathF.Round(weights[i] / scale, MidpointRounding.ToEven), -127f, 127f);
        return (values, scale);
    }
}
