using System.Text.Json;
using Embeddings.TestModels;

namespace Embeddings.Soak;

/// <summary>
/// The calls a soak run makes: every kind the model supports (Embed, EmbedTokens, EmbedSparse, LateChunk) in turn,
/// each on one to three passages of the shared corpus's STS benchmark sentences.
/// </summary>
internal sealed class SoakWorkload
{
    private readonly IEmbedder _embedder;
    private readonly bool _async;
    private readonly string[] _texts;
    private readonly Func<string[], object>[] _kinds;

    public SoakWorkload(IEmbedder embedder, bool useAsync)
    {
        _embedder = embedder;
        _async = useAsync;
        _texts = File.ReadLines(Path.Combine(Fixtures.CorpusDir, "stsbenchmark.en.jsonl"))
            .Take(256)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("text").GetString()!)
            .ToArray();
        var kinds = new List<Func<string[], object>>();
        var info = embedder.Info;
        if (info.Dimensions > 0) kinds.Add(texts => _async ? _embedder.EmbedAsync(texts).GetAwaiter().GetResult() : _embedder.Embed(texts));
        if (info.SupportsTokenEmbeddings)
        {
            kinds.Add(texts => _async ? _embedder.EmbedTokensAsync(texts).GetAwaiter().GetResult() : _embedder.EmbedTokens(texts));
            kinds.Add(texts => _async ? _embedder.LateChunkAsync(texts).GetAwaiter().GetResult() : _embedder.LateChunk(texts));
        }
        if (info.SupportsSparse) kinds.Add(texts => _async ? _embedder.EmbedSparseAsync(texts).GetAwaiter().GetResult() : _embedder.EmbedSparse(texts));
        _kinds = [.. kinds];
        Kinds = kinds.Count;
    }

    /// <summary>How many kinds of call the model supports.</summary>
    public int Kinds { get; }

    /// <summary>Makes call number <paramref name="index"/> (deterministic: the same index makes the same call).</summary>
    public void Call(long index)
    {
        int count = 1 + (int)(index % 3);
        var texts = new string[count];
        for (int i = 0; i < count; i++) texts[i] = _texts[(int)((index * 7 + i * 13) % _texts.Length)];
        _kinds[index % _kinds.Length](texts);
    }
}
