using System.Text;
using Embeddings.Models;
using Embeddings.Tokenization;

namespace Embeddings.Core.Tests.Pipelines;

/// <summary>
/// A tiny model folder written to a temp folder (word-level tokenizer over "w0".."w39", BERT config of width
/// <see cref="FakeBackend.Width"/>, mean pooling) and an embedder over a <see cref="FakeBackend"/>.
/// </summary>
internal sealed class FakeModel : IDisposable
{
    private readonly TempFolder _temp = new();

    public FakeModel(FakeBackend backend, EmbedderOptions? options = null)
    {
        var vocab = new StringBuilder("{\"[PAD]\": 0, \"[UNK]\": 1");
        for (int i = 0; i < 40; i++) vocab.Append($", \"w{i}\": {i + 2}");
        vocab.Append('}');
        _temp.Write("tokenizer.json", $$"""
            {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [], "normalizer": null,
             "pre_tokenizer": {"type": "WhitespaceSplit"}, "post_processor": null, "decoder": null,
             "model": {"type": "WordLevel", "vocab": {{vocab}}, "unk_token": "[UNK]"} }
            """);
        _temp.Write("onnx/model.onnx", [0]);
        _temp.Write("config.json", $$"""{"model_type": "bert", "max_position_embeddings": 64, "hidden_size": {{FakeBackend.Width}}, "vocab_size": 42, "pad_token_id": 0}""");
        Backend = backend;
        var folder = ModelFolder.Open(_temp.Path);
        Embedder = Embedder.Create(folder, Tokenizer.FromFile(Path.Combine(_temp.Path, "tokenizer.json")), backend, options, ownsBackend: false);
    }

    public FakeBackend Backend { get; }

    public Embedder Embedder { get; }

    /// <summary>A text of <paramref name="words"/> words, the first picked by <paramref name="seed"/>.</summary>
    public static string Text(int words, int seed = 0) => string.Join(' ', Enumerable.Range(seed, words).Select(i => $"w{i % 40}"));

    public void Dispose()
    {
        Embedder.Dispose();
        _temp.Dispose();
    }
}
