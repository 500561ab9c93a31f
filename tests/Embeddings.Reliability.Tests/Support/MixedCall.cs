using Embeddings.Chunking;
using Embeddings.Pooling;

namespace Embeddings.Reliability.Tests.Support;

/// <summary>
/// One call of a mixed workload: which method (the four kinds, synchronous or asynchronous), which texts and
/// which options. <see cref="Run"/> returns the call's <see cref="ResultFingerprint"/>.
/// </summary>
internal sealed record MixedCall(int Method, string[] Texts, int Variant)
{
    public const int MethodCount = 8;

    public static readonly string[] MethodNames =
        ["Embed", "EmbedAsync", "EmbedTokens", "EmbedTokensAsync", "EmbedSparse", "EmbedSparseAsync", "LateChunk", "LateChunkAsync"];

    /// <summary>A seeded workload of <paramref name="count"/> calls of one to three texts each, drawn from <paramref name="pool"/>.</summary>
    public static MixedCall[] Plan(int count, IReadOnlyList<string> pool, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => new MixedCall(random.Next(MethodCount),
                Enumerable.Range(0, random.Next(1, 4)).Select(_ => pool[random.Next(pool.Count)]).ToArray(),
                random.Next(4)))
            .ToArray();
    }

    public override string ToString() => $"{MethodNames[Method]} of {Texts.Length} texts, variant {Variant}";

    public ResultFingerprint Run(IEmbedder embedder, CancellationToken cancellationToken = default) => Method switch
    {
        0 => ResultFingerprint.Of(embedder.Embed(Texts, Dense(), cancellationToken)),
        1 => ResultFingerprint.Of(embedder.EmbedAsync(Texts, Dense(), cancellationToken).GetAwaiter().GetResult()),
        2 => ResultFingerprint.Of(embedder.EmbedTokens(Texts, Tokens(), cancellationToken)),
        3 => ResultFingerprint.Of(embedder.EmbedTokensAsync(Texts, Tokens(), cancellationToken).GetAwaiter().GetResult()),
        4 => ResultFingerprint.Of(embedder.EmbedSparse(Texts, Sparse(), cancellationToken)),
        5 => ResultFingerprint.Of(embedder.EmbedSparseAsync(Texts, Sparse(), cancellationToken).GetAwaiter().GetResult()),
        6 => ResultFingerprint.Of(embedder.LateChunk(Texts, Chunks(), cancellationToken)),
        7 => ResultFingerprint.Of(embedder.LateChunkAsync(Texts, Chunks(), cancellationToken).GetAwaiter().GetResult()),
        _ => throw new InvalidOperationException($"no method {Method}"),
    };

    private EmbedOptions Dense() => Variant switch
    {
        0 => new EmbedOptions(),
        1 => new EmbedOptions { Dimensions = 16 },
        2 => new EmbedOptions { Pooling = PoolingMode.Max, Normalize = false },
        _ => new EmbedOptions { Prompt = "query: ", MaxBatchTokens = 256 },
    };

    private TokenEmbeddingOptions Tokens() => new() { IncludeSpecialTokens = Variant % 2 == 0, Normalize = Variant >= 2 };

    private SparseEmbeddingOptions Sparse() => Variant switch
    {
        0 => new SparseEmbeddingOptions(),
        1 => new SparseEmbeddingOptions { TopK = 8 },
        2 => new SparseEmbeddingOptions { MinWeight = 0.5f },
        _ => new SparseEmbeddingOptions { TopK = 32, MaxBatchSize = 1 },
    };

    private LateChunkOptions Chunks() => Variant switch
    {
        0 => new LateChunkOptions(),
        1 => new LateChunkOptions { Chunker = new TokenWindowChunker(16) },
        2 => new LateChunkOptions { MaxLength = 64, Normalize = false },
        _ => new LateChunkOptions { MaxLength = 48, WindowOverlap = 8, Chunker = new TokenWindowChunker(10) },
    };
}
