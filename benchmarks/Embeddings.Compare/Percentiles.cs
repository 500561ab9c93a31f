namespace Embeddings.Compare;

/// <summary>Order statistics of a set of timings.</summary>
internal static class Percentiles
{
    /// <summary>The <paramref name="p"/>-th percentile (0–100) by the nearest-rank method.</summary>
    public static double Of(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0) throw new ArgumentException("No values.", nameof(values));
        var sorted = values.Order().ToArray();
        int rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>The median.</summary>
    public static double Median(IReadOnlyCollection<double> values) => Of(values, 50);
}
