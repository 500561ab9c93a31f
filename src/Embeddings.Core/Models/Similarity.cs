using System.Numerics.Tensors;

namespace Embeddings.Models;

/// <summary>A search hit: the row's index and its score (higher is more similar).</summary>
/// <param name="Index">Row index in the searched matrix.</param>
/// <param name="Score">The similarity.</param>
public readonly record struct SimilarityHit(int Index, float Score);

/// <summary>
/// SIMD similarity between embeddings (sentence-transformers' <c>similarity_fn_name</c> functions) and a
/// top-k search over a matrix of them. Distances are negated so that higher always means more similar,
/// as sentence-transformers does.
/// </summary>
public static class Similarity
{
    /// <summary>Scores <paramref name="a"/> against <paramref name="b"/>.</summary>
    /// <param name="function">The similarity function.</param>
    /// <param name="a">A vector.</param>
    /// <param name="b">A vector of the same length.</param>
    public static float Compute(SimilarityFunction function, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"vectors differ in length ({a.Length} and {b.Length}).", nameof(b));
        return function switch
        {
            SimilarityFunction.Cosine => Cosine(a, b),
            SimilarityFunction.Dot => TensorPrimitives.Dot(a, b),
            SimilarityFunction.Euclidean => -TensorPrimitives.Distance(a, b),
            SimilarityFunction.Manhattan => -Manhattan(a, b),
            _ => throw new ArgumentOutOfRangeException(nameof(function), function, null),
        };
    }

    /// <summary>Cosine similarity; 0 when either vector is zero.</summary>
    /// <param name="a">A vector.</param>
    /// <param name="b">A vector of the same length.</param>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"vectors differ in length ({a.Length} and {b.Length}).", nameof(b));
        float denominator = TensorPrimitives.Norm(a) * TensorPrimitives.Norm(b);
        return denominator == 0 ? 0 : TensorPrimitives.Dot(a, b) / denominator;
    }

    /// <summary>The <paramref name="k"/> rows of <paramref name="matrix"/> most similar to <paramref name="query"/>, best first
    /// (ties by lower index).</summary>
    /// <param name="function">The similarity function.</param>
    /// <param name="query">The query vector.</param>
    /// <param name="matrix">Row-major [rows × query.Length] embeddings.</param>
    /// <param name="k">How many hits to return (fewer when the matrix has fewer rows).</param>
    public static SimilarityHit[] TopK(SimilarityFunction function, ReadOnlySpan<float> query, ReadOnlySpan<float> matrix, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 0);
        int dimension = query.Length;
        if (dimension == 0) throw new ArgumentException("the query is empty.", nameof(query));
        if (matrix.Length % dimension != 0)
            throw new ArgumentException($"the matrix holds {matrix.Length} values, not a whole number of {dimension}-dimensional rows.", nameof(matrix));
        int rows = matrix.Length / dimension;
        k = Math.Min(k, rows);
        if (k == 0) return [];
        // Cosine: normalize the query once, then divide each row's dot by the row norm.
        float queryNorm = function == SimilarityFunction.Cosine ? TensorPrimitives.Norm(query) : 1;
        var heap = new PriorityQueue<int, (float Score, int Index)>(k + 1, WorstFirst.Instance);
        for (int r = 0; r < rows; r++)
        {
            var row = matrix.Slice(r * dimension, dimension);
            float score = function == SimilarityFunction.Cosine
                ? CosineWithNorm(query, queryNorm, row)
                : Compute(function, query, row);
            if (heap.Count < k) heap.Enqueue(r, (score, r));
            else if (heap.TryPeek(out _, out var worst) && IsBetter(score, r, worst.Score, worst.Index))
                heap.EnqueueDequeue(r, (score, r));
        }
        var hits = new SimilarityHit[heap.Count];
        for (int i = hits.Length - 1; i >= 0; i--)
        {
            heap.TryDequeue(out int index, out var priority);
            hits[i] = new SimilarityHit(index, priority.Score);
        }
        return hits;
    }

    private static float CosineWithNorm(ReadOnlySpan<float> query, float queryNorm, ReadOnlySpan<float> row)
    {
        float denominator = queryNorm * TensorPrimitives.Norm(row);
        return denominator == 0 ? 0 : TensorPrimitives.Dot(query, row) / denominator;
    }

    private static float Manhattan(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float sum = 0;
        for (int i = 0; i < a.Length; i++) sum += MathF.Abs(a[i] - b[i]);
        return sum;
    }

    private static bool IsBetter(float score, int index, float otherScore, int otherIndex) =>
        score > otherScore || (score == otherScore && index < otherIndex) || (float.IsNaN(otherScore) && !float.IsNaN(score));

    /// <summary>Orders the heap so the worst hit is on top (NaN counts as worst).</summary>
    private sealed class WorstFirst : IComparer<(float Score, int Index)>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare((float Score, int Index) x, (float Score, int Index) y) =>
            IsBetter(x.Score, x.Index, y.Score, y.Index) ? 1 : IsBetter(y.Score, y.Index, x.Score, x.Index) ? -1 : 0;
    }
}
