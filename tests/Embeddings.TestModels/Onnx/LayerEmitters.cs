namespace Embeddings.TestModels.Onnx;

/// <summary>Emits the layers both model builders share: dense layers over <see cref="LinearWeights"/> and declared outputs.</summary>
internal static class LayerEmitters
{
    /// <summary>x W (+ b), with W added as a [in, out] initializer named <c>{layer.Name}.weight</c>.</summary>
    public static string Linear(this OnnxGraphBuilder g, string x, LinearWeights layer)
    {
        var weight = g.AddInitializer(OnnxTensor.Float(layer.Name + ".weight", [layer.InputSize, layer.OutputSize], layer.Weight));
        var product = g.Node("MatMul", [x, weight]);
        return layer.Bias is null
            ? product
            : g.Node("Add", [product, g.AddInitializer(OnnxTensor.Float(layer.Name + ".bias", [layer.OutputSize], layer.Bias))]);
    }

    /// <summary>A [rows, columns] float initializer over <paramref name="data"/>.</summary>
    public static string Matrix(this OnnxGraphBuilder g, string name, float[] data, int rows, int columns) =>
        g.AddInitializer(OnnxTensor.Float(name, [rows, columns], data));

    /// <summary>A 1-D float initializer over <paramref name="data"/>.</summary>
    public static string Vector(this OnnxGraphBuilder g, string name, float[] data) =>
        g.AddInitializer(OnnxTensor.Float(name, [data.Length], data));

    /// <summary>
    /// Declares <paramref name="value"/> as the graph output <paramref name="name"/>: through Identity for
    /// float32, or through a Cast for another element type (the graph computes in float32 either way).
    /// </summary>
    public static void Output(this OnnxGraphBuilder g, string value, string name, OnnxDataType type, params OnnxDimension[] shape)
    {
        g.Scope = "outputs/";
        if (type == OnnxDataType.Float) g.NamedNode("Identity", [value], name);
        else g.NamedNode("Cast", [value], name, OnnxAttribute.Int("to", (long)type));
        g.AddOutput(name, type, shape);
    }
}
