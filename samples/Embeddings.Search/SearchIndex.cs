using Embeddings.Models;

namespace Embeddings.Search;

/// <summary>
/// Passages and their vectors in one [passages × dimensions] matrix, searched exhaustively with the model's own
/// similarity function (exact, and fast enough for tens of thousands of passages).
/// </summary>
internal sealed class SearchIndex
{
    private readonly IEmbedder _embedder;
    private readonly EmbeddingResult _vectors;
    private readonly string? _queryPrompt;

    private SearchIndex(IEmbedder embedder, IReadOnlyList<Passage> passages, EmbeddingResult vectors, string? queryPrompt)
    {
        _embedder = embedder;
        Passages = passages;
        _vectors = vectors;
        _queryPrompt = queryPrompt;
    }

    public IReadOnlyList<Passage> Passages { get; }

    /// <summary>Embeds every passage (with the model's document prompt, when it has one), reporting progress per batch.</summary>
    public static async Task<SearchIndex> BuildAsync(IEmbedder embedder, IReadOnlyList<Passage> passages, IProgress<EmbeddingProgress> progress,
        CancellationToken cancellationToken)
    {
        var prompts = embedder.Info.Prompts;
        string? documentPrompt = new[] { "document", "passage" }.FirstOrDefault(prompts.ContainsKey);
        string? queryPrompt = prompts.ContainsKey("query") ? "query" : null;
        var options = new EmbedOptions { PromptName = documentPrompt, Progress = progress };
        var vectors = await embedder.EmbedAsync(passages.Select(p => p.Text).ToArray(), options, cancellationToken);
        return new SearchIndex(embedder, passages, vectors, queryPrompt);
    }

    /// <summary>The <paramref name="top"/> passages most similar to <paramref name="query"/>, best first.</summary>
    public async Task<IReadOnlyList<(Passage Passage, float Score)>> SearchAsync(string query, int top, CancellationToken cancellationToken)
    {
        var vector = await _embedder.EmbedAsync([query], new EmbedOptions { PromptName = _queryPrompt }, cancellationToken);
        var hits = Similarity.TopK(_embedder.Info.Similarity, vector[0].Span, _vectors.Data.Span, top);
        return hits.Select(hit => (Passages[hit.Index], hit.Score)).ToArray();
    }
}
