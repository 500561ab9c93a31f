using System.Globalization;

namespace Embeddings.TestModels.Onnx;

/// <summary>
/// Builds an <see cref="OnnxGraph"/> one node at a time: every node gets a unique name and output name,
/// small constants (scalars, axes, shapes) become shared initializers, and <see cref="Build"/> checks the result.
/// </summary>
public sealed class OnnxGraphBuilder
{
    private readonly string _name;
    private readonly List<OnnxNode> _nodes = [];
    private readonly List<OnnxTensor> _initializers = [];
    private readonly List<OnnxValueInfo> _inputs = [];
    private readonly List<OnnxValueInfo> _outputs = [];
    private readonly Dictionary<string, string> _constants = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal);

    /// <summary>Starts an empty graph.</summary>
    /// <param name="name">The graph's name.</param>
    public OnnxGraphBuilder(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _name = name;
    }

    /// <summary>Prefix for the names of nodes added from now on (e.g. <c>encoder.layer.0.attention/</c>), to make graphs readable.</summary>
    public string Scope { get; set; } = "";

    /// <summary>Declares a graph input and returns its name.</summary>
    /// <param name="name">The input's name.</param>
    /// <param name="elementType">The element type.</param>
    /// <param name="shape">The dimensions.</param>
    public string AddInput(string name, OnnxDataType elementType, params OnnxDimension[] shape)
    {
        _inputs.Add(new OnnxValueInfo(name, elementType, shape));
        Reserve(name);
        return name;
    }

    /// <summary>Adds an initializer and returns its name.</summary>
    /// <param name="tensor">The tensor.</param>
    public string AddInitializer(OnnxTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        _initializers.Add(tensor);
        Reserve(tensor.Name);
        return tensor.Name;
    }

    /// <summary>A float32 scalar constant (shared by every node that asks for the same value).</summary>
    /// <param name="value">The value.</param>
    public string Scalar(float value) =>
        Constant($"f32:{BitConverter.SingleToInt32Bits(value):x8}",
            name => OnnxTensor.Float(name, [], new[] { value }),
            "const_f_" + value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>An int64 scalar constant.</summary>
    /// <param name="value">The value.</param>
    public string Scalar(long value) =>
        Constant($"i64:{value}", name => OnnxTensor.Int64(name, [], new[] { value }),
            "const_i_" + value.ToString(CultureInfo.InvariantCulture));

    /// <summary>A 1-D int64 constant such as axes, a shape for Reshape, or Slice bounds.</summary>
    /// <param name="values">The values.</param>
    public string Int64s(params long[] values)
    {
        var text = string.Join("_", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
        return Constant($"i64[]:{text}", name => OnnxTensor.Int64(name, [values.Length], values.ToArray()), "const_ints_" + text);
    }

    /// <summary>Adds a node with one output, named after the node, and returns that output's name.</summary>
    /// <param name="opType">The operator.</param>
    /// <param name="inputs">The values it reads.</param>
    /// <param name="attributes">Its attributes.</param>
    public string Node(string opType, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes)
    {
        var name = UniqueName(Scope + opType);
        _nodes.Add(new OnnxNode(opType, name, inputs, [name], attributes));
        return name;
    }

    /// <summary>Adds a node whose single output has the given name (for graph outputs) and returns that name.</summary>
    /// <param name="opType">The operator.</param>
    /// <param name="inputs">The values it reads.</param>
    /// <param name="output">The output's name.</param>
    /// <param name="attributes">Its attributes.</param>
    public string NamedNode(string opType, IReadOnlyList<string> inputs, string output, params OnnxAttribute[] attributes)
    {
        Reserve(output);
        _nodes.Add(new OnnxNode(opType, UniqueName(Scope + opType), inputs, [output], attributes));
        return output;
    }

    /// <summary>Declares an existing value as a graph output.</summary>
    /// <param name="value">The value (a node output).</param>
    /// <param name="elementType">Its element type.</param>
    /// <param name="shape">Its dimensions.</param>
    public void AddOutput(string value, OnnxDataType elementType, params OnnxDimension[] shape) =>
        _outputs.Add(new OnnxValueInfo(value, elementType, shape));

    /// <summary>Creates the graph, checking that it is well formed.</summary>
    /// <exception cref="InvalidOperationException">The graph reads an undefined value or never produces an output.</exception>
    public OnnxGraph Build() => new(_name, _nodes, _initializers, _inputs, _outputs);

    private string Constant(string key, Func<string, OnnxTensor> create, string preferredName)
    {
        if (_constants.TryGetValue(key, out var existing)) return existing;
        var tensor = create(UniqueName(preferredName));
        _initializers.Add(tensor);
        _constants.Add(key, tensor.Name);
        return tensor.Name;
    }

    private string UniqueName(string stem)
    {
        if (!_usedNames.Contains(stem))
        {
            _usedNames.Add(stem);
            return stem;
        }
        for (int n = 1; ; n++)
        {
            var candidate = stem + "_" + n.ToString(CultureInfo.InvariantCulture);
            if (_usedNames.Add(candidate)) return candidate;
        }
    }

    private void Reserve(string name)
    {
        if (!_usedNames.Add(name)) throw new InvalidOperationException($"Graph '{_name}': the name '{name}' is already used.");
    }
}
