using Embeddings.Onnx;
using Embeddings.TestModels;

namespace Embeddings.Reliability.Tests.Support;

/// <summary>
/// The fixture models, loaded once per test class on first use (so a class whose fixtures are absent is
/// skipped by its <c>[FixtureFact]</c> attributes instead of failing in a constructor).
/// </summary>
public sealed class FixtureEmbedders : IDisposable
{
    private readonly Lazy<Embedder> _bert = new(() => OnnxEmbedder.Create(Fixtures.ModelDir("bert-mean-tiny")));
    private readonly Lazy<Embedder> _splade = new(() => OnnxEmbedder.Create(Fixtures.ModelDir("splade-tiny")));
    private readonly Lazy<Embedder> _decoder = new(() => OnnxEmbedder.Create(Fixtures.ModelDir("decoder-last-tiny")));

    /// <summary>bert-mean-tiny: BERT uncased WordPiece, mean pooling, normalized, prompts <c>query</c> and <c>document</c>, 512 tokens.</summary>
    public Embedder Bert => _bert.Value;

    /// <summary>splade-tiny: sparse vectors from masked-LM logits.</summary>
    public Embedder Splade => _splade.Value;

    /// <summary>decoder-last-tiny: Qwen byte-level BPE, last-token pooling, left padding.</summary>
    public Embedder Decoder => _decoder.Value;

    public void Dispose()
    {
        if (_bert.IsValueCreated) _bert.Value.Dispose();
        if (_splade.IsValueCreated) _splade.Value.Dispose();
        if (_decoder.IsValueCreated) _decoder.Value.Dispose();
    }
}
