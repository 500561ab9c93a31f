namespace Embeddings.TestModels;

/// <summary>
/// A dense layer <c>y = x W + b</c>. <see cref="Weight"/> is [<see cref="InputSize"/>, <see cref="OutputSize"/>]
/// row-major — the layout ONNX MatMul reads, i.e. the transpose of a PyTorch <c>nn.Linear.weight</c>.
/// The arrays are the model's own: change their contents to set chosen weights before writing a model.
/// </summary>
public sealed class LinearWeights
{
    /// <summary>Creates a layer over the given arrays.</summary>
    /// <param name="name">The parameter prefix; tensors are named <c>{name}.weight</c> and <c>{name}.bias</c>.</param>
    /// <param name="inputSize">Input features.</param>
    /// <param name="outputSize">Output features.</param>
    /// <param name="weight">[inputSize, outputSize] row-major.</param>
    /// <param name="bias">[outputSize], or null for a layer without bias.</param>
    public LinearWeights(string name, int inputSize, int outputSize, float[] weight, float[]? bias)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputSize, 1);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Length != (long)inputSize * outputSize)
            throw new ArgumentException($"{name}: the weight holds {weight.Length} values, expected {inputSize} × {outputSize}.", nameof(weight));
        if (bias is not null && bias.Length != outputSize)
            throw new ArgumentException($"{name}: the bias holds {bias.Length} values, expected {outputSize}.", nameof(bias));
        Name = name;
        InputSize = inputSize;
        OutputSize = outputSize;
        Weight = weight;
        Bias = bias;
    }

    /// <summary>The parameter prefix.</summary>
    public string Name { get; }

    /// <summary>Input features.</summary>
    public int InputSize { get; }

    /// <summary>Output features.</summary>
    public int OutputSize { get; }

    /// <summary>[InputSize, OutputSize] row-major.</summary>
    public float[] Weight { get; }

    /// <summary>[OutputSize], or null.</summary>
    public float[]? Bias { get; }

    /// <summary>The named arrays: <c>{Name}.weight</c>, then <c>{Name}.bias</c> if there is one.</summary>
    public IEnumerable<(string Name, float[] Values)> Parameters()
    {
        yield return (Name + ".weight", Weight);
        if (Bias is not null) yield return (Name + ".bias", Bias);
    }

    /// <summary>A layer with random weights and (optionally) random biases, both with the given spread.</summary>
    /// <param name="random">The generator.</param>
    /// <param name="name">The parameter prefix.</param>
    /// <param name="inputSize">Input features.</param>
    /// <param name="outputSize">Output features.</param>
    /// <param name="standardDeviation">The spread of weights and biases.</param>
    /// <param name="withBias">False for a layer without bias.</param>
    public static LinearWeights Random(DeterministicWeights random, string name, int inputSize, int outputSize,
        double standardDeviation, bool withBias = true) =>
        new(name, inputSize, outputSize,
            random.Normal(name + ".weight", checked(inputSize * outputSize), standardDeviation),
            withBias ? random.Normal(name + ".bias", outputSize, standardDeviation) : null);
}

/// <summary>
/// A normalization layer's per-feature scale (γ) and, for LayerNorm, shift (β); RMSNorm has no shift.
/// </summary>
public sealed class NormWeights
{
    /// <summary>Creates the weights over the given arrays.</summary>
    /// <param name="name">The parameter prefix; tensors are named <c>{name}.weight</c> and <c>{name}.bias</c>.</param>
    /// <param name="scale">γ.</param>
    /// <param name="bias">β, the same length as γ, or null.</param>
    public NormWeights(string name, float[] scale, float[]? bias)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(scale);
        if (bias is not null && bias.Length != scale.Length)
            throw new ArgumentException($"{name}: the bias holds {bias.Length} values, the scale {scale.Length}.", nameof(bias));
        Name = name;
        Scale = scale;
        Bias = bias;
    }

    /// <summary>The parameter prefix.</summary>
    public string Name { get; }

    /// <summary>γ.</summary>
    public float[] Scale { get; }

    /// <summary>β, or null.</summary>
    public float[]? Bias { get; }

    /// <summary>The number of features normalized.</summary>
    public int Size => Scale.Length;

    /// <summary>The named arrays: <c>{Name}.weight</c> (γ), then <c>{Name}.bias</c> (β) if there is one.</summary>
    public IEnumerable<(string Name, float[] Values)> Parameters()
    {
        yield return (Name + ".weight", Scale);
        if (Bias is not null) yield return (Name + ".bias", Bias);
    }

    /// <summary>Random weights: γ around 1 and β around 0, both with the given spread.</summary>
    /// <param name="random">The generator.</param>
    /// <param name="name">The parameter prefix.</param>
    /// <param name="size">Features.</param>
    /// <param name="standardDeviation">The spread.</param>
    /// <param name="withBias">False for RMSNorm (no β).</param>
    public static NormWeights Random(DeterministicWeights random, string name, int size, double standardDeviation, bool withBias = true) =>
        new(name,
            random.Normal(name + ".weight", size, standardDeviation, mean: 1.0),
            withBias ? random.Normal(name + ".bias", size, standardDeviation) : null);
}
