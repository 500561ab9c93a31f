using System.Numerics.Tensors;
using Embeddings.Models;

namespace Embeddings.PostProcessing;

/// <summary>The activation after a Dense module's linear map.</summary>
public enum DenseActivation
{
    /// <summary>f(x) = x.</summary>
    Identity,
    /// <summary>tanh (sentence-transformers' default).</summary>
    Tanh,
    /// <summary>max(0, x).</summary>
    Relu,
    /// <summary>1 / (1 + e^-x).</summary>
    Sigmoid,
    /// <summary>x · sigmoid(x).</summary>
    Silu,
    /// <summary>x · Φ(x) with the exact error function.</summary>
    Gelu,
}

/// <summary>
/// A sentence-transformers Dense module (<c>2_Dense/</c>): y = activation(W·x + b), optionally plus a
/// residual (x itself, or R·x when the widths differ). Weights come from the folder's model.safetensors.
/// </summary>
/// <remarks>Immutable after loading; <see cref="Apply"/> is safe to call from many threads.</remarks>
public sealed class DenseLayer
{
    private readonly float[] _weight;    // [Out, In] row-major, as torch.nn.Linear stores it
    private readonly float[]? _bias;     // [Out]
    private readonly float[]? _residual; // [Out, In] when a projected residual is used

    /// <summary>Creates a layer from explicit weights.</summary>
    /// <param name="inFeatures">Input width.</param>
    /// <param name="outFeatures">Output width.</param>
    /// <param name="weight">[outFeatures × inFeatures] row-major.</param>
    /// <param name="bias">[outFeatures], or null for none.</param>
    /// <param name="activation">The activation.</param>
    /// <param name="useResidual">Adds the input (or <paramref name="residualWeight"/>·x) to the output.</param>
    /// <param name="residualWeight">[outFeatures × inFeatures] when the widths differ and a residual is used.</param>
    public DenseLayer(int inFeatures, int outFeatures, float[] weight, float[]? bias, DenseActivation activation,
        bool useResidual = false, float[]? residualWeight = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Length != (long)inFeatures * outFeatures) throw new ArgumentException("weight must hold outFeatures × inFeatures values.", nameof(weight));
        if (bias is not null && bias.Length != outFeatures) throw new ArgumentException("bias must hold outFeatures values.", nameof(bias));
        if (useResidual && inFeatures != outFeatures && (residualWeight is null || residualWeight.Length != weight.Length))
            throw new ArgumentException("a residual between different widths needs residualWeight of outFeatures × inFeatures values.", nameof(residualWeight));
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        _weight = weight;
        _bias = bias;
        Activation = activation;
        UseResidual = useResidual;
        _residual = useResidual && inFeatures != outFeatures ? residualWeight : null;
    }

    /// <summary>Input width.</summary>
    public int InFeatures { get; }

    /// <summary>Output width.</summary>
    public int OutFeatures { get; }

    /// <summary>The activation.</summary>
    public DenseActivation Activation { get; }

    /// <summary>True when the input is added back to the output.</summary>
    public bool UseResidual { get; }

    /// <summary>Computes one output row.</summary>
    /// <param name="input">InFeatures values.</param>
    /// <param name="destination">OutFeatures values; must not overlap <paramref name="input"/>.</param>
    public void Apply(ReadOnlySpan<float> input, Span<float> destination)
    {
        if (input.Length != InFeatures) throw new ArgumentException($"expected {InFeatures} values.", nameof(input));
        if (destination.Length != OutFeatures) throw new ArgumentException($"expected {OutFeatures} values.", nameof(destination));
        for (int o = 0; o < OutFeatures; o++)
            destination[o] = TensorPrimitives.Dot(_weight.AsSpan(o * InFeatures, InFeatures), input) + (_bias?[o] ?? 0f);
        switch (Activation)
        {
            case DenseActivation.Tanh: TensorPrimitives.Tanh(destination, destination); break;
            case DenseActivation.Relu: TensorPrimitives.Max(destination, 0f, destination); break;
            case DenseActivation.Sigmoid: TensorPrimitives.Sigmoid(destination, destination); break;
            case DenseActivation.Silu:
                for (int i = 0; i < destination.Length; i++) destination[i] = destination[i] / (1f + MathF.Exp(-destination[i]));
                break;
            case DenseActivation.Gelu:
                for (int i = 0; i < destination.Length; i++) destination[i] = (float)(0.5 * destination[i] * (1 + Erf(destination[i] / Math.Sqrt(2))));
                break;
        }
        if (!UseResidual) return;
        if (_residual is null) TensorPrimitives.Add(destination, input, destination);
        else
            for (int o = 0; o < OutFeatures; o++)
                destination[o] += TensorPrimitives.Dot(_residual.AsSpan(o * InFeatures, InFeatures), input);
    }

    /// <summary>Loads a Dense module folder: config.json (in_features, out_features, bias,
    /// activation_function, use_residual) and model.safetensors (linear.weight, linear.bias, residual.weight).</summary>
    /// <param name="directory">The module folder, e.g. <c>2_Dense</c>.</param>
    public static DenseLayer Load(string directory)
    {
        string configPath = Path.Combine(directory, "config.json");
        using var document = JsonConfigFile.TryRead(configPath)
            ?? throw new ModelConfigurationException("the Dense module has no config.json.", configPath);
        var root = JsonConfigFile.RootObject(document, configPath);
        int inFeatures = RequirePositive(JsonConfigFile.Integer(root, "in_features", configPath), "in_features", configPath);
        int outFeatures = RequirePositive(JsonConfigFile.Integer(root, "out_features", configPath), "out_features", configPath);
        bool hasBias = JsonConfigFile.Boolean(root, "bias", configPath) ?? true;
        bool useResidual = JsonConfigFile.Boolean(root, "use_residual", configPath) ?? false;
        var activation = ParseActivation(JsonConfigFile.String(root, "activation_function", configPath), configPath);

        string weightsPath = Path.Combine(directory, "model.safetensors");
        if (!File.Exists(weightsPath))
        {
            string hint = File.Exists(Path.Combine(directory, "pytorch_model.bin"))
                ? "only pytorch_model.bin is present, which is a Python pickle and is never loaded here; convert it to model.safetensors (safetensors.torch.save_file)."
                : "model.safetensors is missing.";
            throw new ModelConfigurationException($"the Dense module's weights cannot be read: {hint}", weightsPath);
        }
        var file = SafeTensorsFile.Open(weightsPath);
        var weight = file.ReadFloats("linear.weight", outFeatures, inFeatures);
        var bias = hasBias ? file.ReadFloats("linear.bias", outFeatures) : null;
        var residual = useResidual && inFeatures != outFeatures ? file.ReadFloats("residual.weight", outFeatures, inFeatures) : null;
        return new DenseLayer(inFeatures, outFeatures, weight, bias, activation, useResidual, residual);
    }

    private static DenseActivation ParseActivation(string? name, string path)
    {
        if (name is null) return DenseActivation.Tanh;
        string shortName = name[(name.LastIndexOf('.') + 1)..];
        return shortName switch
        {
            "Identity" => DenseActivation.Identity,
            "Tanh" => DenseActivation.Tanh,
            "ReLU" => DenseActivation.Relu,
            "Sigmoid" => DenseActivation.Sigmoid,
            "SiLU" => DenseActivation.Silu,
            "GELU" => DenseActivation.Gelu,
            _ => throw new ModelConfigurationException(
                $"activation_function \"{name}\" is not supported; supported: Identity, Tanh, ReLU, Sigmoid, SiLU, GELU.", path),
        };
    }

    private static int RequirePositive(long? value, string name, string path) =>
        value is > 0 and <= int.MaxValue ? (int)value.Value
            : throw new ModelConfigurationException($"'{name}' must be a positive integer.", path);

    // Abramowitz–Stegun 7.1.26 is only 1e-7 accurate; use the series/continued fraction pair instead.
    private static double Erf(double x)
    {
        double ax = Math.Abs(x);
        double result;
        if (ax < 2.5)
        {
            double term = ax, sum = ax, x2 = ax * ax;
            for (int n = 1; n < 60; n++)
            {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17) break;
            }
            result = 2 / Math.Sqrt(Math.PI) * sum;
        }
        else
        {
            // erfc(x) by a Lentz continued fraction, accurate for larger x.
            double f = ax, c = ax, d = 0, tiny = 1e-300;
            for (int n = 1; n < 200; n++)
            {
                double a = n / 2.0;
                d = ax + a * d; d = Math.Abs(d) < tiny ? tiny : d; d = 1 / d;
                c = ax + a / c; c = Math.Abs(c) < tiny ? tiny : c;
                double delta = c * d;
                f *= delta;
                if (Math.Abs(delta - 1) < 1e-16) break;
            }
            result = 1 - Math.Exp(-ax * ax) / Math.Sqrt(Math.PI) / f;
        }
        return x < 0 ? -result : result;
    }
}
