namespace Embeddings.Server.Tests.Support;

/// <summary>Compares a vector the server answered with the library's own.</summary>
internal static class VectorAssert
{
    /// <summary>
    /// Requests that meet in the queue share model runs and are padded together, so a vector may move by rounding
    /// with its batch: the library's batch-invariance bound, no more.
    /// </summary>
    public const float Tolerance = 1e-5f;

    /// <summary>Fails, naming <paramref name="what"/>, unless the lengths are equal and every value is within <see cref="Tolerance"/>.</summary>
    public static void Close(ReadOnlySpan<float> expected, IReadOnlyList<float> actual, string what)
    {
        Assert.True(expected.Length == actual.Count, $"{what}: {actual.Count} values where the library gives {expected.Length}.");
        float worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        Assert.True(worst <= Tolerance, $"{what}: max abs diff {worst:E2} from the library's vector.");
    }
}
