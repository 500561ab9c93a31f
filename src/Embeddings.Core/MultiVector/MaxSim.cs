using System.Buffers;
using System.Numerics.Tensors;

namespace Embeddings.MultiVector;

/// <summary>
/// Late-interaction scoring (ColBERT's MaxSim, sentence-transformers' <c>maxsim</c>): for every query row the
/// largest dot product with any document row, summed over the query rows. With unit-length rows (the usual
/// token-level Normalize) the dot product is the cosine similarity.
/// </summary>
/// <remarks>
/// The inner loops are <see cref="TensorPrimitives"/> dot products and element-wise maxima, so they use the
/// widest SIMD the machine has. An empty query or document scores 0. Thread-safe (no shared state).
/// </remarks>
public static class MaxSim
{
    /// <summary>The MaxSim score of two row-major matrices of the same width.</summary>
    /// <param name="query">The query rows, [queryRows × <paramref name="dimensions"/>].</param>
    /// <param name="document">The document rows, [documentRows × <paramref name="dimensions"/>].</param>
    /// <param name="dimensions">The row width.</param>
    /// <param name="lengthNormalize">Divide by the number of query rows (MeanMaxSim, sentence-transformers' <c>meanmaxsim</c>).</param>
    /// <exception cref="ArgumentException">A matrix is not a whole number of rows.</exception>
    public static float Score(ReadOnlySpan<float> query, ReadOnlySpan<float> document, int dimensions, bool lengthNormalize = false)
    {
        int queryRows = Rows(query, dimensions, nameof(query));
        int documentRows = Rows(document, dimensions, nameof(document));
        if (queryRows == 0 || documentRows == 0) return 0f;
        float[] rented = ArrayPool<float>.Shared.Rent(queryRows * 2);
        try
        {
            var best = rented.AsSpan(0, queryRows);
            var dots = rented.AsSpan(queryRows, queryRows);
            best.Fill(float.NegativeInfinity);
            // Document row by document row: all query rows' dot products, then one vectorized running maximum.
            for (int d = 0; d < documentRows; d++)
            {
                var documentRow = document.Slice(d * dimensions, dimensions);
                for (int q = 0; q < queryRows; q++)
                    dots[q] = TensorPrimitives.Dot(query.Slice(q * dimensions, dimensions), documentRow);
                TensorPrimitives.Max(best, dots, best);
            }
            float sum = TensorPrimitives.Sum(best);
            return lengthNormalize ? sum / queryRows : sum;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>The MaxSim score of a query against a document.</summary>
    /// <param name="query">The query's rows.</param>
    /// <param name="document">The document's rows.</param>
    /// <param name="lengthNormalize">Divide by the number of query rows (MeanMaxSim).</param>
    /// <exception cref="ArgumentException">The two have different widths.</exception>
    public static float Score(MultiVectorEmbedding query, MultiVectorEmbedding document, bool lengthNormalize = false)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(document);
        CheckWidth(query, document);
        return Score(query.Vectors.Span, document.Vectors.Span, query.Dimensions, lengthNormalize);
    }

    /// <summary>Scores one query against many documents.</summary>
    /// <param name="query">The query's rows.</param>
    /// <param name="documents">The documents' rows; none may be null.</param>
    /// <param name="destination">Receives one score per document, in the documents' order.</param>
    /// <param name="lengthNormalize">Divide by the number of query rows (MeanMaxSim).</param>
    /// <exception cref="ArgumentException">Widths differ, or <paramref name="destination"/> is not one score per document.</exception>
    public static void Score(MultiVectorEmbedding query, IReadOnlyList<MultiVectorEmbedding> documents, Span<float> destination, bool lengthNormalize = false)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(documents);
        if (destination.Length != documents.Count)
            throw new ArgumentException($"destination holds {destination.Length} scores; there are {documents.Count} documents.", nameof(destination));
        for (int i = 0; i < documents.Count; i++)
        {
            var document = documents[i] ?? throw new ArgumentNullException(nameof(documents), $"Item {i} is null.");
            CheckWidth(query, document);
            destination[i] = Score(query.Vectors.Span, document.Vectors.Span, query.Dimensions, lengthNormalize);
        }
    }

    /// <summary>Scores one query against many documents.</summary>
    /// <inheritdoc cref="Score(MultiVectorEmbedding, IReadOnlyList{MultiVectorEmbedding}, Span{float}, bool)" path="/param[@name='query']"/>
    /// <inheritdoc cref="Score(MultiVectorEmbedding, IReadOnlyList{MultiVectorEmbedding}, Span{float}, bool)" path="/param[@name='documents']"/>
    /// <inheritdoc cref="Score(MultiVectorEmbedding, IReadOnlyList{MultiVectorEmbedding}, Span{float}, bool)" path="/param[@name='lengthNormalize']"/>
    /// <returns>One score per document, in the documents' order.</returns>
    public static float[] Score(MultiVectorEmbedding query, IReadOnlyList<MultiVectorEmbedding> documents, bool lengthNormalize = false)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var scores = new float[documents.Count];
        Score(query, documents, scores, lengthNormalize);
        return scores;
    }

    /// <summary>The [queries × documents] score matrix, as sentence-transformers' <c>model.similarity</c> gives it.</summary>
    /// <param name="queries">The queries' rows.</param>
    /// <param name="documents">The documents' rows.</param>
    /// <param name="lengthNormalize">Divide by the number of query rows (MeanMaxSim).</param>
    /// <returns>Row q holds query q's scores against every document.</returns>
    public static float[][] Matrix(IReadOnlyList<MultiVectorEmbedding> queries, IReadOnlyList<MultiVectorEmbedding> documents, bool lengthNormalize = false)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var matrix = new float[queries.Count][];
        for (int q = 0; q < queries.Count; q++)
            matrix[q] = Score(queries[q] ?? throw new ArgumentNullException(nameof(queries), $"Item {q} is null."), documents, lengthNormalize);
        return matrix;
    }

    /// <summary>Orders documents by their MaxSim score against a query, highest first (ties keep input order).</summary>
    /// <param name="query">The query's rows.</param>
    /// <param name="documents">The candidates' rows.</param>
    /// <param name="topK">Keep only the best this many; null keeps all.</param>
    /// <param name="lengthNormalize">Divide by the number of query rows (MeanMaxSim).</param>
    /// <returns>{index, score} pairs, best first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="topK"/> is negative.</exception>
    public static IReadOnlyList<MaxSimResult> Rank(MultiVectorEmbedding query, IReadOnlyList<MultiVectorEmbedding> documents, int? topK = null,
        bool lengthNormalize = false)
    {
        if (topK is < 0) throw new ArgumentOutOfRangeException(nameof(topK), topK, "topK must not be negative.");
        var scores = Score(query, documents, lengthNormalize);
        var order = Enumerable.Range(0, scores.Length)
            .OrderByDescending(i => scores[i])
            .ThenBy(i => i)
            .Take(topK ?? scores.Length);
        return order.Select(i => new MaxSimResult(i, scores[i])).ToArray();
    }

    private static void CheckWidth(MultiVectorEmbedding query, MultiVectorEmbedding document)
    {
        if (query.Dimensions != document.Dimensions)
            throw new ArgumentException($"The query's rows have {query.Dimensions} dimensions and a document's {document.Dimensions}; they come from different models.");
    }

    private static int Rows(ReadOnlySpan<float> matrix, int dimensions, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        if (matrix.Length % dimensions != 0)
            throw new ArgumentException($"{matrix.Length} values are not a whole number of {dimensions}-dimensional rows.", name);
        return matrix.Length / dimensions;
    }
}
