namespace Embeddings.Server.Tests.Support;

/// <summary>The routes of the mixed-load test, on the two servers.</summary>
internal enum MixedRoute
{
    /// <summary>/embed_all on the dense model.</summary>
    EmbedAll,

    /// <summary>/tokenize on the dense model.</summary>
    DenseTokenize,

    /// <summary>/embed_sparse on the SPLADE model.</summary>
    EmbedSparse,

    /// <summary>/tokenize on the SPLADE model.</summary>
    SparseTokenize,
}

/// <summary>A request of the mixed-load test: a route, texts no other request carries, and its JSON body.</summary>
internal sealed record MixedRequest(MixedRoute Route, string[] Texts, bool AddSpecialTokens)
{
    /// <summary>True when the SPLADE server answers it.</summary>
    public bool OnSparseServer => Route is MixedRoute.EmbedSparse or MixedRoute.SparseTokenize;

    /// <summary>True for the routes that go through the micro-batching queue (and so may be answered 429).</summary>
    public bool Queued => Route is MixedRoute.EmbedAll or MixedRoute.EmbedSparse;

    public string Path => Route switch
    {
        MixedRoute.EmbedAll => "/embed_all",
        MixedRoute.EmbedSparse => "/embed_sparse",
        _ => "/tokenize",
    };

    public object Body => Queued ? new { inputs = Texts } : new { inputs = Texts, add_special_tokens = AddSpecialTokens };

    /// <summary>Request <paramref name="request"/> of client <paramref name="client"/>: the four routes in turn, one to three texts,
    /// every other tokenize request without special tokens.</summary>
    public static MixedRequest For(int client, int request) =>
        new((MixedRoute)((client + request) % 4), DistinctTexts.ForRequest(client, request, 1 + (client * 5 + request) % 3), (client / 4 + request) % 2 == 0);
}
