using System.Buffers;
using System.Text.Json;
using Embeddings.Models;
using Embeddings.Onnx;
using Embeddings.TestModels;
using TokenOffset = Embeddings.Tokenization.TokenOffset;
using Microsoft.ML.Tokenizers;
using LibraryTokenizer = Embeddings.Tokenization.Tokenizer;

namespace Embeddings.Tokenizers.Tests;

/// <summary>
/// A model folder without tokenizer.json, embedded with a Microsoft.ML.Tokenizers tokenizer through
/// <see cref="MLTokenizerAdapter"/>: where that tokenizer gives the model's ids, the vectors are the folder's own.
/// </summary>
public sealed class SuppliedTokenizerTests : IDisposable
{
    private const string Model = "bert-mean-tiny";

    // Plain English: the texts on which Microsoft.ML.Tokenizers' BERT tokenizer agrees with tokenizer.json (checked first).
    private static readonly string[] Texts =
    [
        "The quick brown fox jumps over the lazy dog.",
        "Embeddings turn text into vectors for search and clustering",
        "What is the capital of France?",
        "running runners ran quickly",
    ];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "embeddings-supplied-tokenizer-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [FixtureFact]
    public void A_folder_without_a_tokenizer_embeds_with_a_supplied_BERT_tokenizer_as_with_its_tokenizer_json()
    {
        var (bert, vocabulary) = CopyWithoutTokenizer();
        var supplied = MLTokenizerAdapter.ToEmbeddingsTokenizer(bert, vocabulary);
        var reference = LibraryTokenizer.FromFile(Path.Combine(Fixtures.ModelDir(Model), "tokenizer.json"));
        foreach (var text in Texts)
            Assert.Equal(reference.Encode(text).Ids, supplied.Encode(text).Ids);

        using var expected = OnnxEmbedder.Create(Fixtures.ModelDir(Model));
        using var actual = OnnxEmbedder.Create(_folder, new OnnxEmbedderOptions { Tokenizer = supplied });
        var want = expected.Embed(Texts);
        var got = actual.Embed(Texts);
        Assert.Equal(want.Count, got.Count);
        for (var i = 0; i < want.Count; i++)
        {
            var w = want[i].Span;
            var g = got[i].Span;
            Assert.Equal(w.Length, g.Length);
            for (var d = 0; d < w.Length; d++) Assert.True(Math.Abs(w[d] - g[d]) <= 1e-6f, $"text {i} dim {d}: {w[d]} vs {g[d]}");
        }
    }

    [FixtureFact]
    public void Truncation_at_the_model_limit_keeps_the_special_tokens()
    {
        var (bert, vocabulary) = CopyWithoutTokenizer();
        using var embedder = OnnxEmbedder.Create(_folder,
            new OnnxEmbedderOptions { Tokenizer = MLTokenizerAdapter.ToEmbeddingsTokenizer(bert, vocabulary) });
        var limit = ModelFolder.Open(_folder, new ModelFolderOptions { TokenizerSupplied = true }).MaxSequenceLength;
        var tokens = embedder.EmbedTokens([string.Join(' ', Enumerable.Repeat("fox", limit * 2))])[0];
        Assert.Equal(limit, tokens.Count);
        Assert.Equal(bert.ClassificationTokenId, tokens.Ids[0]);
        Assert.Equal(bert.SeparatorTokenId, tokens.Ids[^1]);
        // Lower-casing keeps the length, so the offsets are the text's own.
        Assert.Equal(new TokenOffset(0, 3), tokens.Offsets[1]);
    }

    [FixtureFact]
    public void Without_a_supplied_tokenizer_the_folder_is_refused()
    {
        CopyWithoutTokenizer();
        var error = Assert.Throws<ModelConfigurationException>(() => ModelFolder.Open(_folder));
        Assert.Contains("no tokenizer", error.Message);
    }

    [Fact]
    public void A_tokenizer_that_adds_its_own_special_tokens_is_refused()
    {
        using var vocab = new MemoryStream(System.Text.Encoding.UTF8.GetBytes("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nfox\n"));
        var withSpecials = new AddsTokensToEmptyText(BertTokenizer.Create(vocab));
        Assert.Throws<ArgumentException>(() => MLTokenizerAdapter.ToEmbeddingsTokenizer(withSpecials));
    }

    // The fixture folder minus tokenizer.json, and a BERT tokenizer built from a vocab.txt written from that file's vocabulary.
    private (BertTokenizer Tokenizer, Dictionary<string, int> Vocabulary) CopyWithoutTokenizer()
    {
        var source = Fixtures.ModelDir(Model);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative == "tokenizer.json") continue;
            var target = Path.Combine(_folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(source, "tokenizer.json")));
        var vocabulary = json.RootElement.GetProperty("model").GetProperty("vocab").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal);
        var vocabPath = Path.Combine(Path.GetTempPath(), Path.GetFileName(_folder) + "-vocab.txt");
        try
        {
            File.WriteAllLines(vocabPath, vocabulary.OrderBy(p => p.Value).Select(p => p.Key));
            return (BertTokenizer.Create(vocabPath), vocabulary);
        }
        finally
        {
            File.Delete(vocabPath);
        }
    }

    // A tokenizer that, like a SentencePiece one created with addBeginningOfSentence, emits a token for empty text.
    private sealed class AddsTokensToEmptyText(Tokenizer inner) : Tokenizer
    {
        protected override EncodeResults<EncodedToken> EncodeToTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings) =>
            new() { Tokens = [new EncodedToken(2, "[CLS]", new Range(0, 0)), .. inner.EncodeToTokens(textSpan, out _)], CharsConsumed = textSpan.Length };

        public override OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten) =>
            inner.Decode(ids, destination, out idsConsumed, out charsWritten);
    }
}
