namespace Embeddings.TestModels;

/// <summary>
/// The building blocks of the reference forward passes, in double precision and written plainly (no
/// SIMD, no fusion) so that each can be checked by eye against its formula.
/// </summary>
public static class ReferenceMath
{
    private static readonly double TwoOverSqrtPi = 2.0 / Math.Sqrt(Math.PI);

    /// <summary>
    /// The error function, to about 1e-14. Uses erf(x) = 2/√π · e^(−x²) · Σₙ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)),
    /// whose terms are all positive (no cancellation); beyond |x| = 6, erf is ±1 to double precision.
    /// </summary>
    /// <param name="x">The argument.</param>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x > 6) return 1;
        if (x < -6) return -1;
        double twoXSquared = 2 * x * x;
        double term = x, sum = x;
        for (int n = 1; Math.Abs(term) > 1e-17 * Math.Abs(sum); n++)
        {
            term *= twoXSquared / (2 * n + 1);
            sum += term;
        }
        return TwoOverSqrtPi * Math.Exp(-x * x) * sum;
    }

    /// <summary>GELU, exact form: x · ½ · (1 + erf(x / √2)).</summary>
    /// <param name="x">The argument.</param>
    public static double Gelu(double x) => 0.5 * x * (1 + Erf(x / Math.Sqrt(2.0)));

    /// <summary>y = x W + b, with W [in, out] row-major.</summary>
    /// <param name="x">[in] input.</param>
    /// <param name="layer">The layer.</param>
    public static double[] Linear(ReadOnlySpan<double> x, LinearWeights layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (x.Length != layer.InputSize)
            throw new ArgumentException($"{layer.Name}: input has {x.Length} features, the layer takes {layer.InputSize}.", nameof(x));
        var y = new double[layer.OutputSize];
        if (layer.Bias is { } bias)
            for (int j = 0; j < y.Length; j++) y[j] = bias[j];
        var w = layer.Weight;
        for (int i = 0; i < x.Length; i++)
        {
            int row = i * layer.OutputSize;
            for (int j = 0; j < y.Length; j++) y[j] += x[i] * w[row + j];
        }
        return y;
    }

    /// <summary>LayerNorm: (x − mean) / √(var + ε) · γ + β, with the population variance.</summary>
    /// <param name="x">The features.</param>
    /// <param name="norm">γ and β.</param>
    /// <param name="epsilon">ε.</param>
    public static double[] LayerNorm(ReadOnlySpan<double> x, NormWeights norm, double epsilon)
    {
        ArgumentNullException.ThrowIfNull(norm);
        if (x.Length != norm.Size)
            throw new ArgumentException($"{norm.Name}: input has {x.Length} features, the norm takes {norm.Size}.", nameof(x));
        double mean = 0;
        foreach (var v in x) mean += v;
        mean /= x.Length;
        double variance = 0;
        foreach (var v in x) variance += (v - mean) * (v - mean);
        variance /= x.Length;
        double inverse = 1 / Math.Sqrt(variance + epsilon);
        var y = new double[x.Length];
        for (int i = 0; i < y.Length; i++) y[i] = (x[i] - mean) * inverse * norm.Scale[i] + (norm.Bias?[i] ?? 0);
        return y;
    }

    /// <summary>RMSNorm: x / √(mean(x²) + ε) · γ.</summary>
    /// <param name="x">The features.</param>
    /// <param name="scale">γ, as long as <paramref name="x"/>.</param>
    /// <param name="epsilon">ε.</param>
    public static double[] RmsNorm(ReadOnlySpan<double> x, ReadOnlySpan<float> scale, double epsilon)
    {
        if (x.Length != scale.Length)
            throw new ArgumentException($"RMSNorm: input has {x.Length} features, the scale {scale.Length}.", nameof(x));
        double meanSquare = 0;
        foreach (var v in x) meanSquare += v * v;
        meanSquare /= x.Length;
        double inverse = 1 / Math.Sqrt(meanSquare + epsilon);
        var y = new double[x.Length];
        for (int i = 0; i < y.Length; i++) y[i] = x[i] * inverse * scale[i];
        return y;
    }

    /// <summary>Softmax: exp(sᵢ − max) / Σ exp(sⱼ − max).</summary>
    /// <param name="scores">The scores (at least one).</param>
    public static double[] Softmax(ReadOnlySpan<double> scores)
    {
        if (scores.IsEmpty) throw new ArgumentException("Softmax of no scores.", nameof(scores));
        double max = double.NegativeInfinity;
        foreach (var s in scores) max = Math.Max(max, s);
        var p = new double[scores.Length];
        double sum = 0;
        for (int i = 0; i < p.Length; i++) sum += p[i] = Math.Exp(scores[i] - max);
        for (int i = 0; i < p.Length; i++) p[i] /= sum;
        return p;
    }

    /// <summary>The dot product of two equally long vectors.</summary>
    /// <param name="a">First vector.</param>
    /// <param name="b">Second vector.</param>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"Dot of lengths {a.Length} and {b.Length}.", nameof(b));
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
