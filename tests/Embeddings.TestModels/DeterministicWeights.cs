using System.Text;

namespace Embeddings.TestModels;

/// <summary>
/// Pseudo-random weights that are the same on every machine and every .NET version: each tensor draws
/// from its own SplitMix64 stream, seeded from the model seed and the tensor's name, so adding a tensor
/// to a model never changes the others. Normal-looking values are the sum of four uniforms rescaled to
/// unit variance (Irwin–Hall), which needs only exact IEEE additions and multiplications — no
/// logarithm or cosine whose last bit could differ between runtimes.
/// </summary>
public sealed class DeterministicWeights
{
    // sqrt(3): four uniforms on [0, 1) have variance 4/12, so (sum - 2) * sqrt(3) has variance 1.
    private static readonly double UnitVarianceScale = Math.Sqrt(3.0);

    /// <summary>Creates a generator for one model.</summary>
    /// <param name="seed">The model seed.</param>
    public DeterministicWeights(long seed) => Seed = seed;

    /// <summary>The model seed.</summary>
    public long Seed { get; }

    /// <summary>
    /// <paramref name="count"/> values with mean <paramref name="mean"/> and standard deviation
    /// <paramref name="standardDeviation"/>, bell-shaped and bounded by ±2√3 standard deviations.
    /// </summary>
    /// <param name="tensorName">The tensor's name; it selects the stream.</param>
    /// <param name="count">How many values.</param>
    /// <param name="standardDeviation">The spread.</param>
    /// <param name="mean">The centre.</param>
    public float[] Normal(string tensorName, int count, double standardDeviation, double mean = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var stream = new SplitMix64(StreamSeed(tensorName));
        var values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            double sum = stream.NextUnit() + stream.NextUnit() + stream.NextUnit() + stream.NextUnit();
            values[i] = (float)(mean + (sum - 2.0) * UnitVarianceScale * standardDeviation);
        }
        return values;
    }

    /// <summary>The first state of the stream for <paramref name="tensorName"/>: FNV-1a of its UTF-8 bytes, mixed with the seed.</summary>
    /// <param name="tensorName">The tensor's name.</param>
    public ulong StreamSeed(string tensorName)
    {
        ArgumentNullException.ThrowIfNull(tensorName);
        ulong hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(tensorName))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return hash ^ SplitMix64.Mix(unchecked((ulong)Seed));
    }

    /// <summary>SplitMix64 (Steele, Lea and Flood, 2014): a 64-bit counter passed through a fixed mixing function.</summary>
    private struct SplitMix64(ulong state)
    {
        private ulong _state = state;

        public static ulong Mix(ulong z)
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>A uniform double in [0, 1) from the top 53 bits, exactly representable.</summary>
        public double NextUnit()
        {
            _state += 0x9E3779B97F4A7C15UL;
            return (Mix(_state) >> 11) * (1.0 / (1UL << 53));
        }
    }
}
