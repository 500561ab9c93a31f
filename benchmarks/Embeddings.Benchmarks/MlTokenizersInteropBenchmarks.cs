using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Embeddings.TestModels;
using Embeddings.Tokenization;
using Embeddings.Tokenizers;

namespace Embeddings.Benchmarks;

/// <summary>
/// What the Microsoft.ML.Tokenizers adapter costs over the library's own tokenizer: counting and encoding the same
/// English passages of the shared corpus through <see cref="HuggingFaceTokenizer"/> (the Microsoft.ML.Tokenizers API)
/// against <see cref="Tokenizer.Encode(string, EncodeOptions?)"/> (the baseline) on the bert-uncased and roberta fixtures.
/// </summary>
[MemoryDiagnoser]
public class MlTokenizersInteropBenchmarks
{
    private Tokenizer _tokenizer = null!;
    private HuggingFaceTokenizer _adapter = null!;
    private string[] _texts = [];

    /// <summary>The tokenizer fixture to load.</summary>
    [Params("bert-uncased", "roberta")]
    public string Family { get; set; } = "bert-uncased";

    [GlobalSetup]
    public void Setup()
    {
        _tokenizer = Tokenizer.FromFile(Path.Combine(Fixtures.TokenizerDir(Family), "tokenizer.json"));
        _adapter = HuggingFaceTokenizer.Create(_tokenizer);
        _texts = File.ReadLines(Path.Combine(Fixtures.CorpusDir, "debian-handbook.en.jsonl")).Take(200)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!).ToArray();
    }

    [Benchmark(Baseline = true)]
    public int LibraryEncode()
    {
        var total = 0;
        foreach (var text in _texts) total += _tokenizer.Encode(text).Length;
        return total;
    }

    [Benchmark]
    public int AdapterCountTokens()
    {
        var total = 0;
        foreach (var text in _texts) total += _adapter.CountTokens(text);
        return total;
    }

    [Benchmark]
    public int AdapterEncodeToTokens()
    {
        var total = 0;
        foreach (var text in _texts) total += _adapter.EncodeToTokens(text, out _).Count;
        return total;
    }

    [Benchmark]
    public int AdapterIndexByTokenCount()
    {
        var total = 0;
        foreach (var text in _texts) total += _adapter.GetIndexByTokenCount(text, 128, out _, out _);
        return total;
    }
}
