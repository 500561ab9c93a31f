using Embeddings.Onnx;
using Embeddings.TestModels.Bert;

namespace Embeddings.Reliability.Tests.Support;

/// <summary>
/// A generated one-layer BERT that gives both per-token hidden states and masked-LM logits, so one instance
/// serves all four kinds of call (Embed, EmbedTokens, EmbedSparse, LateChunk), over a reduced vocabulary
/// (ONNX Runtime computes the logits on every run, even when only the hidden states are asked for). Written
/// once per test class.
/// </summary>
public sealed class WorkloadModel : IDisposable
{
    private readonly TemporaryFolder _folder = new();
    private readonly Lazy<string> _directory;

    public WorkloadModel() =>
        _directory = new(() => GeneratedModelFolder.Write(_folder.Path, new BertGraphOptions { LogitsOutput = true }, reducedVocabulary: true));

    /// <summary>The model folder (written on first use).</summary>
    public string Directory => _directory.Value;

    /// <summary>
    /// A new embedder over the folder. Each model run uses one thread: with many callers the parallelism comes from
    /// the callers (as in a server), and two cores shared with other work are not oversubscribed by spinning pools.
    /// </summary>
    public Embedder Create(EmbedderOptions? options = null) =>
        OnnxEmbedder.Create(Directory, new OnnxEmbedderOptions { Embedder = options ?? new EmbedderOptions(), Runtime = { IntraOpThreads = 1 } });

    public void Dispose() => _folder.Dispose();
}
