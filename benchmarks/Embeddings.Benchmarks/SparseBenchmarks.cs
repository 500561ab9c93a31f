using BenchmarkDotNet.Attributes;
using Embeddings.Onnx;

namespace Embeddings.Benchmarks;

/// <summary>
/// End-to-end <c>EmbedSparse</c> on a MiniLM-L6-shaped model with a masked-LM head (logits over the 30,522-id
/// vocabulary, SPLADE max pooling), per text, at the default token budget and at eight times it: the logits of
/// one batch are budget × 30,522 floats (125 MB at the default 1,024, 1 GB at 8,192).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EndToEndJob))]
public class SparseBenchmarks
{
    private const int Texts = 64;
    private Embedder _embedder = null!;
    private string[] _texts = [];

    /// <summary>MaxBatchTokens for the call.</summary>
    [Params(1024, 8192)]
    public int Budget { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var directory = BenchmarkModels.Ensure(BenchmarkModel.MiniLmSplade);
        _embedder = OnnxEmbedder.Create(directory, new OnnxEmbedderOptions { Runtime = { IntraOpThreads = Environment.ProcessorCount } });
        _texts = CorpusSample.Take(Texts);
    }

    [GlobalCleanup]
    public void Cleanup() => _embedder.Dispose();

    [Benchmark(OperationsPerInvoke = Texts, Description = "EmbedSparse")]
    public int EmbedSparse() => _embedder.EmbedSparse(_texts, new SparseEmbeddingOptions { MaxBatchTokens = Budget }).Count;
}
