using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Embeddings.TestModels;
using Embeddings.Tokenization;

namespace Embeddings.Benchmarks;

/// <summary>
/// Tokenizer throughput on a fixed corpus (English prose and sentences plus German, Russian, Japanese and
/// Chinese passages from the shared corpus, read in place): full encodings (the baseline, allocating) against
/// the ids-only path writing into a reused buffer, and decoding.
/// </summary>
[MemoryDiagnoser]
public abstract class TokenizerBenchmarks
{
    private static readonly (string File, int Passages)[] Corpus =
    [
        ("fortunes.en.jsonl", 400), ("stsbenchmark.en.jsonl", 400), ("debian-handbook.en.jsonl", 100),
        ("debian-handbook.de.jsonl", 40), ("debian-handbook.ru.jsonl", 40), ("debian-handbook.ja.jsonl", 40),
        ("debian-handbook.zh-cn.jsonl", 40),
    ];

    private Tokenizer _tokenizer = null!;
    private string[] _texts = [];
    private int[][] _encoded = [];
    private int[] _ids = [];

    /// <summary>The tokenizer fixture to load.</summary>
    public abstract string Family { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _tokenizer = Tokenizer.FromFile(Path.Combine(Fixtures.TokenizerDir(Family), "tokenizer.json"));
        _texts = Corpus.SelectMany(c => File.ReadLines(Path.Combine(Fixtures.CorpusDir, c.File)).Take(c.Passages))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!).ToArray();
        _encoded = _texts.Select(t => _tokenizer.Encode(t).Ids).ToArray();
        _ids = new int[_texts.Max(t => 3 * t.Length + 16)];
    }

    [Benchmark(Baseline = true, Description = "Encode (full encodings)")]
    public int Encode()
    {
        var n = 0;
        foreach (var t in _texts) n += _tokenizer.Encode(t).Length;
        return n;
    }

    [Benchmark(Description = "EncodeToIds (reused buffer)")]
    public int EncodeToIds()
    {
        var n = 0;
        foreach (var t in _texts) n += _tokenizer.EncodeToIds(t, _ids);
        return n;
    }

    [Benchmark(Description = "EncodeToIds, max 128")]
    public int EncodeToIdsTruncated()
    {
        var n = 0;
        foreach (var t in _texts) n += _tokenizer.EncodeToIds(t, _ids, maxLength: 128);
        return n;
    }

    [Benchmark(Description = "Decode")]
    public int Decode()
    {
        var n = 0;
        foreach (var ids in _encoded) n += _tokenizer.Decode(ids).Length;
        return n;
    }
}

/// <summary>WordPiece tokenizers.</summary>
public class WordPieceTokenizerBenchmarks : TokenizerBenchmarks
{
    /// <inheritdoc/>
    [Params("bert-uncased", "bert-multilingual-cased", "mpnet")]
    public override string Family { get; set; } = "bert-uncased";
}

/// <summary>Byte-level BPE tokenizers.</summary>
public class BpeTokenizerBenchmarks : TokenizerBenchmarks
{
    /// <inheritdoc/>
    [Params("roberta", "modernbert", "qwen")]
    public override string Family { get; set; } = "roberta";
}

/// <summary>Unigram (SentencePiece) tokenizers.</summary>
public class UnigramTokenizerBenchmarks : TokenizerBenchmarks
{
    /// <inheritdoc/>
    [Params("t5")]
    public override string Family { get; set; } = "t5";
}
