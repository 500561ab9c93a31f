namespace Embeddings.Pooling;

/// <summary>
/// Applies one or more pooling modes to a sequence's hidden states and concatenates the results in the
/// given order (sentence-transformers concatenates cls, max, mean, mean_sqrt_len, weightedmean, lasttoken).
/// </summary>
/// <remarks>Immutable; safe to share between threads.</remarks>
public sealed class Pooler
{
    private readonly PoolingMode[] _modes;

    /// <summary>Creates a pooler.</summary>
    /// <param name="modes">The modes, in concatenation order; at least one.</param>
    /// <param name="includePrompt">False leaves prompt tokens out of mean, max, mean-sqrt-len and weighted-mean pooling.</param>
    /// <exception cref="ArgumentOutOfRangeException">A mode is not a defined <see cref="PoolingMode"/>.</exception>
    public Pooler(IReadOnlyList<PoolingMode> modes, bool includePrompt = true)
    {
        ArgumentNullException.ThrowIfNull(modes);
        if (modes.Count == 0) throw new ArgumentException("at least one pooling mode is needed.", nameof(modes));
        foreach (var mode in modes)
            if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(modes), mode, "is not a defined pooling mode.");
        _modes = modes.ToArray();
        IncludePrompt = includePrompt;
    }

    /// <summary>The modes, in concatenation order.</summary>
    public IReadOnlyList<PoolingMode> Modes => _modes;

    /// <summary>False when prompt tokens are left out.</summary>
    public bool IncludePrompt { get; }

    /// <summary>The pooled width for hidden size <paramref name="hiddenSize"/>.</summary>
    /// <param name="hiddenSize">H.</param>
    public int OutputDimension(int hiddenSize) => _modes.Length * hiddenSize;

    /// <summary>Pools one sequence.</summary>
    /// <param name="hidden">[T, H] hidden states.</param>
    /// <param name="mask">[T] attention mask.</param>
    /// <param name="hiddenSize">H.</param>
    /// <param name="destination"><see cref="OutputDimension"/> values.</param>
    /// <param name="promptTokens">Leading real tokens that belong to the prompt (ignored when <see cref="IncludePrompt"/>).</param>
    public void Pool(ReadOnlySpan<float> hidden, ReadOnlySpan<long> mask, int hiddenSize, Span<float> destination, int promptTokens = 0)
    {
        if (destination.Length != OutputDimension(hiddenSize))
            throw new ArgumentException($"destination holds {destination.Length} values; expected {OutputDimension(hiddenSize)}.", nameof(destination));
        int skip = IncludePrompt ? 0 : promptTokens;
        for (int i = 0; i < _modes.Length; i++)
        {
            var part = destination.Slice(i * hiddenSize, hiddenSize);
            switch (_modes[i])
            {
                case PoolingMode.Cls: PoolingKernels.Cls(hidden, mask, hiddenSize, part); break;
                case PoolingMode.Mean: PoolingKernels.Mean(hidden, mask, hiddenSize, part, skip); break;
                case PoolingMode.Max: PoolingKernels.Max(hidden, mask, hiddenSize, part, skip); break;
                case PoolingMode.MeanSqrtLength: PoolingKernels.MeanSqrtLength(hidden, mask, hiddenSize, part, skip); break;
                case PoolingMode.WeightedMean: PoolingKernels.WeightedMean(hidden, mask, hiddenSize, part, skip); break;
                case PoolingMode.LastToken: PoolingKernels.LastToken(hidden, mask, hiddenSize, part); break;
                default: throw new InvalidOperationException($"unknown pooling mode {_modes[i]}.");
            }
        }
    }
}
