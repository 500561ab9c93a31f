using Embeddings.MultiVector;
using Embeddings.Tokenization;

namespace Embeddings.Core.Tests.MultiVector;

public class MaxSimTests
{
    private static MultiVectorEmbedding Rows(int dimensions, params float[][] rows) =>
        new(new int[rows.Length], Enumerable.Range(0, rows.Length).ToArray(), new TokenOffset[rows.Length],
            rows.SelectMany(r => r).ToArray(), dimensions, truncated: false);

    [Fact]
    public void Sums_each_query_rows_best_dot_product()
    {
        var query = Rows(2, [1, 0], [0, 1]);
        var document = Rows(2, [0.5f, 0.5f], [0.9f, -0.1f], [-1, 2]);
        // Query row 1: max(0.5, 0.9, -1) = 0.9; query row 2: max(0.5, -0.1, 2) = 2.
        Assert.Equal(2.9f, MaxSim.Score(query, document), 5);
        Assert.Equal(1.45f, MaxSim.Score(query, document, lengthNormalize: true), 5);
    }

    [Fact]
    public void Matches_a_plain_loop_on_random_rows()
    {
        var random = new Random(7);
        float[][] RandomRows(int n) => Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 37).Select(_ => (float)random.NextDouble() - 0.5f).ToArray()).ToArray();
        var q = RandomRows(9);
        var documents = Enumerable.Range(0, 5).Select(i => RandomRows(3 + i * 7)).ToArray();
        var scores = MaxSim.Score(Rows(37, q), documents.Select(d => Rows(37, d)).ToArray());
        for (int i = 0; i < documents.Length; i++)
        {
            double expected = q.Sum(qr => documents[i].Max(dr => qr.Zip(dr, (a, b) => (double)a * b).Sum()));
            Assert.Equal(expected, scores[i], 4);
        }
    }

    [Fact]
    public void Rank_orders_best_first_with_ties_in_input_order_and_cuts_to_top_k()
    {
        var query = Rows(1, [1]);
        var documents = new[] { Rows(1, [0.2f]), Rows(1, [0.7f]), Rows(1, [0.2f]), Rows(1, [0.9f]) };
        var ranked = MaxSim.Rank(query, documents);
        Assert.Equal([3, 1, 0, 2], ranked.Select(r => r.Index));
        Assert.Equal(0.9f, ranked[0].Score);
        Assert.Equal([3, 1], MaxSim.Rank(query, documents, topK: 2).Select(r => r.Index));
        Assert.Throws<ArgumentOutOfRangeException>(() => MaxSim.Rank(query, documents, topK: -1));
    }

    [Fact]
    public void Empty_sides_score_zero_and_mismatched_widths_are_refused()
    {
        Assert.Equal(0f, MaxSim.Score(Rows(2), Rows(2, [1, 1])));
        Assert.Equal(0f, MaxSim.Score(Rows(2, [1, 1]), Rows(2)));
        Assert.Throws<ArgumentException>(() => MaxSim.Score(Rows(2, [1, 1]), Rows(3, [1, 1, 1])));
        Assert.Throws<ArgumentException>(() => MaxSim.Score(new float[5], new float[4], 2));
        Assert.Throws<ArgumentException>(() => MaxSim.Score(Rows(1, [1]), [Rows(1, [1])], new float[2]));
    }

    [Fact]
    public void Matrix_is_queries_by_documents()
    {
        var queries = new[] { Rows(1, [1]), Rows(1, [-1]) };
        var documents = new[] { Rows(1, [2], [-3]), Rows(1, [1]) };
        var matrix = MaxSim.Matrix(queries, documents);
        Assert.Equal([2f, 1f], matrix[0]);
        Assert.Equal([3f, -1f], matrix[1]);
    }
}
