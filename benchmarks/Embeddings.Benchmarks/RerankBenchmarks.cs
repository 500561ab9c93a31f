using BenchmarkDotNet.Attributes;
using Embeddings.Inference;
using Embeddings.Models;
using Embeddings.Onnx;
using Embeddings.TestModels;

namespace Embeddings.Benchmarks;

/// <summary>
/// Rerank throughput against the runtime floor: <c>Rerank</c> of one query against 320 corpus passages on the
/// cross-encoder-tiny fixture, and a bare replay of exactly the pair batches that call hands ONNX Runtime (recorded in
/// the setup; only the runs are timed: no tokenization, no sorting). One intra-op thread each, the same session
/// settings. Times are per pair.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EndToEndJob))]
public class RerankBenchmarks
{
    private const int Documents = 320;
    private const string Query = "how do I configure the network interfaces of a Debian system?";
    private Reranker _reranker = null!;
    private OnnxInferenceBackend _bare = null!;
    private readonly List<InferenceBatch> _batches = [];
    private string[] _documents = [];

    [GlobalSetup]
    public void Setup()
    {
        string directory = Fixtures.ModelDir("cross-encoder-tiny");
        var runtime = new OnnxRuntimeOptions { IntraOpThreads = 1 };
        var folder = ModelFolder.Open(directory);
        _documents = CorpusSample.Take(Documents);
        using (var recording = new RecordingBackend(OnnxInferenceBackend.Create(OnnxModelFile.Find(folder), runtime), _batches))
        using (var recorder = Reranker.Create(folder, OnnxEmbedder.LoadTokenizer(folder), recording, ownsBackend: false))
            recorder.Rerank(Query, _documents);
        _reranker = OnnxReranker.Create(directory, new OnnxEmbedderOptions { Runtime = runtime });
        _bare = OnnxInferenceBackend.Create(OnnxModelFile.Find(folder), runtime);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reranker.Dispose();
        _bare.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Documents, Description = "bare runtime replay of the pair batches")]
    public int BareReplay()
    {
        int rows = 0;
        foreach (var batch in _batches)
        {
            using var output = _bare.Run(batch, "logits");
            rows += (int)output.Shape[0];
        }
        return rows;
    }

    [Benchmark(OperationsPerInvoke = Documents, Description = "Rerank (tokenize, batch, run, sort)")]
    public int Rerank() => _reranker.Rerank(Query, _documents).Count;

    /// <summary>Passes runs through and keeps a copy of every batch.</summary>
    private sealed class RecordingBackend(OnnxInferenceBackend inner, List<InferenceBatch> batches) : IInferenceBackend
    {
        public ModelSignature Signature => inner.Signature;

        public InferenceOutput Run(InferenceBatch batch, string outputName, CancellationToken cancellationToken = default)
        {
            batches.Add(new InferenceBatch(batch.BatchSize, batch.SequenceLength, batch.InputIds.ToArray(), batch.AttentionMask.ToArray(),
                batch.TokenTypeIds.ToArray(), batch.PositionIds.ToArray()));
            return inner.Run(batch, outputName, cancellationToken);
        }

        public void Dispose() => inner.Dispose();
    }
}
