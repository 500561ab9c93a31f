using BenchmarkDotNet.Attributes;
using Embeddings.Onnx;

namespace Embeddings.Benchmarks;

/// <summary>
/// End-to-end <c>Embed</c> on the generated MiniLM-L6- and base-shaped models (random weights; throughput does not
/// depend on them) over a fixed corpus sample: the library's length-sorted token-budget batching against naive
/// input-order batches of 32 (the baseline, what a plain loop over the texts does). Times and allocations are per
/// text (OperationsPerInvoke). ONNX Runtime uses one intra-op thread per processor.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EndToEndJob))]
public class EmbedBenchmarks
{
    private const int Texts = 64;
    private Embedder _embedder = null!;
    private string[] _texts = [];
    private readonly EmbedOptions _inputOrder = new() { MaxBatchSize = 32, MaxBatchTokens = int.MaxValue };

    /// <summary>The generated model folder.</summary>
    [Params("minilm-l6", "bert-base")]
    public string Model { get; set; } = "minilm-l6";

    [GlobalSetup]
    public void Setup()
    {
        var directory = BenchmarkModels.Ensure(BenchmarkModels.Parse(Model));
        _embedder = OnnxEmbedder.Create(directory, new OnnxEmbedderOptions { Runtime = { IntraOpThreads = Environment.ProcessorCount } });
        _texts = CorpusSample.Take(Texts);
    }

    [GlobalCleanup]
    public void Cleanup() => _embedder.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Texts, Description = "input order, batches of 32")]
    public int InputOrder()
    {
        int dimensions = 0;
        for (int start = 0; start < _texts.Length; start += 32)
            dimensions = _embedder.Embed(_texts[start..Math.Min(start + 32, _texts.Length)], _inputOrder).Dimensions;
        return dimensions;
    }

    [Benchmark(OperationsPerInvoke = Texts, Description = "Embed (sorted, token budget)")]
    public int Embed() => _embedder.Embed(_texts).Dimensions;
}
