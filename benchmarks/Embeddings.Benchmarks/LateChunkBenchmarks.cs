using System.Text;
using BenchmarkDotNet.Attributes;
using Embeddings.Chunking;
using Embeddings.Onnx;
using Embeddings.Tokenization;

namespace Embeddings.Benchmarks;

/// <summary>
/// One document of about 8,192 tokens (consecutive Debian handbook passages) on the MiniLM-L6-shaped model:
/// late chunking (the whole document through the model in overlapping 512-token windows, sentence chunks pooled
/// from the token vectors) against chunk-then-embed (the same sentence chunks embedded as separate texts).
/// Both give one vector per chunk.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EndToEndJob))]
public class LateChunkBenchmarks
{
    private const int DocumentTokens = 8192;
    private Embedder _embedder = null!;
    private string _document = "";
    private string[] _chunks = [];

    [GlobalSetup]
    public void Setup()
    {
        _embedder = OnnxEmbedder.Create(BenchmarkModels.Ensure(BenchmarkModel.MiniLm),
            new OnnxEmbedderOptions { Runtime = { IntraOpThreads = Environment.ProcessorCount } });
        _document = Document(_embedder.Tokenizer, DocumentTokens);
        var offsets = _embedder.Tokenizer.Encode(_document, new EncodeOptions { AddSpecialTokens = false }).Offsets
            .Select(o => new ChunkSpan(o.Start, o.End)).ToArray();
        _chunks = SentenceChunker.Instance.Chunk(_document, offsets).Select(c => c.TextOf(_document)).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _embedder.Dispose();

    [Benchmark(Baseline = true, Description = "chunk, then embed each chunk")]
    public int ChunkThenEmbed() => _embedder.Embed(_chunks).Count;

    [Benchmark(Description = "LateChunk")]
    public int LateChunk() => _embedder.LateChunk([_document])[0].Count;

    /// <summary>Consecutive handbook passages joined by blank lines, cut at the passage that reaches <paramref name="tokens"/>.</summary>
    internal static string Document(Tokenizer tokenizer, int tokens)
    {
        var text = new StringBuilder();
        foreach (var passage in CorpusSample.File("debian-handbook.en.jsonl"))
        {
            if (text.Length > 0) text.Append("\n\n");
            text.Append(passage);
            if (tokenizer.Encode(text.ToString(), new EncodeOptions { AddSpecialTokens = false }).Length >= tokens) break;
        }
        var document = text.ToString();
        // Trim to the token limit at a token boundary, so the document is exactly the stated size.
        var encoding = tokenizer.Encode(document, new EncodeOptions { AddSpecialTokens = false });
        return encoding.Length <= tokens ? document : document[..encoding.Offsets[tokens - 1].End];
    }
}
