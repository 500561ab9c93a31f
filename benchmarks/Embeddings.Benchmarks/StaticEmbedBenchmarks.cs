using BenchmarkDotNet.Attributes;
using Embeddings.Onnx;
using Embeddings.Static;
using Embeddings.TestModels;

namespace Embeddings.Benchmarks;

/// <summary>
/// Static embeddings against a transformer, one thread each: <c>Embed</c> of the same 320 corpus passages with the
/// static-tiny fixture (a sentence-transformers 6 StaticEmbedding + Normalize folder; bert-uncased tokenizer, no
/// runtime) and with the generated MiniLM-L6-shaped ONNX model (the baseline; ONNX Runtime on one intra-op thread).
/// Model loading happens in the setup, outside the timings. Times and allocations are per text.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EndToEndJob))]
public class StaticEmbedBenchmarks
{
    private const int Texts = 320;
    private Embedder _transformer = null!;
    private Embedder _static = null!;
    private string[] _texts = [];

    [GlobalSetup]
    public void Setup()
    {
        _transformer = OnnxEmbedder.Create(BenchmarkModels.Ensure(BenchmarkModel.MiniLm), new OnnxEmbedderOptions { Runtime = { IntraOpThreads = 1 } });
        _static = Embedder.CreateStatic(StaticEmbeddingModel.Load(Fixtures.ModelDir("static-tiny")));
        _texts = CorpusSample.Take(Texts);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _transformer.Dispose();
        _static.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Texts, Description = "MiniLM-L6 ONNX Embed, 1 thread")]
    public int Transformer() => _transformer.Embed(_texts).Dimensions;

    // 320 texts stay under the static pipeline's parallel threshold, so this runs on the calling thread only.
    [Benchmark(OperationsPerInvoke = Texts, Description = "static Embed, 1 thread")]
    public int Static() => _static.Embed(_texts).Dimensions;
}
