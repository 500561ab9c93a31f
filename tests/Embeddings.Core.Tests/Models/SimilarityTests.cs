using Embeddings.Models;

namespace Embeddings.Core.Tests.Models;

public class SimilarityTests
{
    [Fact]
    public void Each_function_matches_its_definition()
    {
        float[] a = [1, 2, 3], b = [-2, 0, 4];
        Assert.Equal(10f, Similarity.Compute(SimilarityFunction.Dot, a, b));
        Assert.Equal(10 / (MathF.Sqrt(14) * MathF.Sqrt(20)), Similarity.Compute(SimilarityFunction.Cosine, a, b), 6);
        Assert.Equal(-MathF.Sqrt(9 + 4 + 1), Similarity.Compute(SimilarityFunction.Euclidean, a, b), 6);
        Assert.Equal(-6f, Similarity.Compute(SimilarityFunction.Manhattan, a, b));
        Assert.Equal(0f, Similarity.Cosine(a, new float[3]));
        Assert.Throws<ArgumentException>(() => Similarity.Compute(SimilarityFunction.Dot, a, new float[2]));
    }

    [Theory]
    [InlineData(SimilarityFunction.Cosine)]
    [InlineData(SimilarityFunction.Dot)]
    [InlineData(SimilarityFunction.Euclidean)]
    [InlineData(SimilarityFunction.Manhattan)]
    public void TopK_agrees_with_sorting_every_score(SimilarityFunction function)
    {
        var random = new Random(21);
        const int rows = 500, dimension = 19;
        var matrix = Enumerable.Range(0, rows * dimension).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var query = Enumerable.Range(0, dimension).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var expected = Enumerable.Range(0, rows)
            .Select(r => (Index: r, Score: Similarity.Compute(function, query, matrix.AsSpan(r * dimension, dimension))))
            .OrderByDescending(h => h.Score).ThenBy(h => h.Index).Take(10).ToArray();
        var hits = Similarity.TopK(function, query, matrix, 10);
        Assert.Equal(expected.Select(h => h.Index), hits.Select(h => h.Index));
        for (int i = 0; i < hits.Length; i++) Assert.Equal(expected[i].Score, hits[i].Score, 5);
    }

    [Fact]
    public void TopK_handles_small_and_bad_inputs()
    {
        Assert.Single(Similarity.TopK(SimilarityFunction.Dot, [1f], [2f], 5));
        Assert.Empty(Similarity.TopK(SimilarityFunction.Dot, [1f], [2f], 0));
        var tie = Similarity.TopK(SimilarityFunction.Dot, [1f], [1f, 1f, 1f], 2);
        Assert.Equal(new[] { 0, 1 }, tie.Select(h => h.Index));
        Assert.Throws<ArgumentException>(() => Similarity.TopK(SimilarityFunction.Dot, [1f, 1f], [1f, 1f, 1f], 1));
    }
}
