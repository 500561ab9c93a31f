using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Embeddings.MultiVector;
using Embeddings.PostProcessing;
using Embeddings.Tokenization;

namespace Embeddings.Benchmarks;

/// <summary>
/// MaxSim of one query (32 rows, ColBERT's query width) against 1,000 documents of 100 rows each, 128 dimensions
/// (unit rows, random): the library's SIMD scorer against a plain scalar triple loop.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class MaxSimBenchmarks
{
    private const int Documents = 1000, DocumentRows = 100, QueryRows = 32, Dimensions = 128;
    private MultiVectorEmbedding _query = null!;
    private MultiVectorEmbedding[] _documents = [];
    private readonly float[] _scores = new float[Documents];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        _query = Rows(random, QueryRows);
        _documents = Enumerable.Range(0, Documents).Select(_ => Rows(random, DocumentRows)).ToArray();
    }

    private static MultiVectorEmbedding Rows(Random random, int count)
    {
        var values = new float[count * Dimensions];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() - 0.5);
        VectorNormalization.NormalizeRowsInPlace(values, Dimensions);
        return new MultiVectorEmbedding(new int[count], new int[count], new TokenOffset[count], values, Dimensions, truncated: false);
    }

    [Benchmark(Baseline = true, Description = "scalar loops")]
    public float Scalar()
    {
        var q = _query.Vectors.Span;
        for (int i = 0; i < Documents; i++)
        {
            var d = _documents[i].Vectors.Span;
            float sum = 0;
            for (int qr = 0; qr < QueryRows; qr++)
            {
                float best = float.NegativeInfinity;
                for (int dr = 0; dr < DocumentRows; dr++)
                {
                    float dot = 0;
                    for (int k = 0; k < Dimensions; k++) dot += q[qr * Dimensions + k] * d[dr * Dimensions + k];
                    if (dot > best) best = dot;
                }
                sum += best;
            }
            _scores[i] = sum;
        }
        return _scores[0];
    }

    [Benchmark(Description = "MaxSim.Score (query × 1,000 documents)")]
    public float Simd()
    {
        MaxSim.Score(_query, _documents, _scores);
        return _scores[0];
    }
}
