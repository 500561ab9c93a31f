using Embeddings.Chunking;
using Embeddings.TestModels;

namespace Embeddings.Onnx.Tests;

/// <summary>LateChunk invariants on the bert-mean-tiny fixture (512-token window).</summary>
public sealed class LateChunkTests
{
    private const string Document =
        "Late chunking embeds the whole document first. Each chunk then pools its own tokens! " +
        "Does the context carry over? It does, because every token saw the others. 最後の文です。";

    private static Embedder Load() => OnnxEmbedder.Create(Fixtures.ModelDir("bert-mean-tiny"));

    /// <summary>The invariant: a chunk's vector is the (normalized) mean of the token vectors inside it.</summary>
    private static void AssertChunksPoolTheirTokens(Embedder embedder, string text, IReadOnlyList<DocumentChunk> chunks, float tolerance)
    {
        var tokens = embedder.EmbedTokens([text])[0];
        int last = 0;
        foreach (var chunk in chunks)
        {
            Assert.InRange(chunk.Start, last, text.Length);
            Assert.InRange(chunk.End, chunk.Start + 1, text.Length);
            Assert.Equal(text[chunk.Start..chunk.End], chunk.Text);
            last = chunk.End;
            var inside = Enumerable.Range(0, tokens.Count)
                .Where(t => !tokens.IsSpecial[t] && tokens.Offsets[t].Start >= chunk.Start && tokens.Offsets[t].End <= chunk.End).ToArray();
            Assert.Equal(inside.Length, chunk.TokenCount);
            Assert.NotEmpty(inside);
            var mean = new float[tokens.Dimensions];
            foreach (int t in inside)
                for (int d = 0; d < mean.Length; d++) mean[d] += tokens[t].Span[d];
            float norm = MathF.Sqrt(mean.Sum(v => v * v));
            for (int d = 0; d < mean.Length; d++)
                Assert.True(Math.Abs(mean[d] / norm - chunk.Embedding.Span[d]) <= tolerance, $"chunk [{chunk.Start}, {chunk.End}) dim {d}");
        }
    }

    [FixtureFact]
    public void Sentence_chunks_pool_the_tokens_inside_them()
    {
        using var embedder = Load();
        var chunks = embedder.LateChunk([Document])[0];
        Assert.Equal(5, chunks.Count);
        Assert.Equal("Each chunk then pools its own tokens!", chunks[1].Text);
        AssertChunksPoolTheirTokens(embedder, Document, chunks, 1e-5f);
    }

    [FixtureFact]
    public void Token_window_and_caller_chunks_pool_the_tokens_inside_them()
    {
        using var embedder = Load();
        var windows = embedder.LateChunk([Document], new LateChunkOptions { Chunker = new TokenWindowChunker(7) })[0];
        Assert.True(windows.Count > 3);
        AssertChunksPoolTheirTokens(embedder, Document, windows, 1e-5f);
        var spans = embedder.LateChunk([Document], new LateChunkOptions { Chunker = new SpanChunker([new(0, 13), new(47, 57)]) })[0];
        Assert.Equal(["Late chunking", "Each chunk"], spans.Select(c => c.Text));
        AssertChunksPoolTheirTokens(embedder, Document, spans, 1e-5f);
    }

    [FixtureFact]
    public void Results_do_not_depend_on_the_other_documents()
    {
        using var embedder = Load();
        string other = string.Join(' ', Enumerable.Repeat("Another document with other words.", 12));
        var alone = embedder.LateChunk([Document])[0];
        var together = embedder.LateChunk([other, Document, "Tiny."], new LateChunkOptions { MaxBatchSize = 2 })[1];
        Assert.Equal(alone.Count, together.Count);
        for (int c = 0; c < alone.Count; c++)
            for (int d = 0; d < alone[c].Embedding.Length; d++)
                Assert.True(Math.Abs(alone[c].Embedding.Span[d] - together[c].Embedding.Span[d]) <= 1e-5f);
    }

    [FixtureFact]
    public void Long_documents_use_overlapping_windows_and_lose_no_chunk()
    {
        using var embedder = Load();
        var sentences = Enumerable.Range(0, 80).Select(i => $"Sentence number {i} talks about topic {i % 7} in some detail.").ToArray();
        string text = string.Join(' ', sentences);
        Assert.True(embedder.EmbedTokens([text])[0].WasTruncated); // longer than one 512-token window
        var chunks = embedder.LateChunk([text])[0];
        Assert.Equal(sentences, chunks.Select(c => c.Text));
        Assert.All(chunks, c => Assert.True(c.TokenCount > 0));
        Assert.All(chunks, c => Assert.Equal(1f, MathF.Sqrt(c.Embedding.ToArray().Sum(v => v * v)), 4));
        // Small windows (any size from 3 up is a valid model input) still cover every chunk.
        var small = embedder.LateChunk([text], new LateChunkOptions { MaxLength = 40, WindowOverlap = 10 })[0];
        Assert.Equal(chunks.Select(c => (c.Start, c.End, c.TokenCount)), small.Select(c => (c.Start, c.End, c.TokenCount)));
    }

    [FixtureFact]
    public void A_document_that_fits_one_window_gets_the_same_vectors_through_the_window_path()
    {
        using var embedder = Load();
        var single = embedder.LateChunk([Document])[0];
        int tokens = embedder.Tokenizer.Encode(Document, new Tokenization.EncodeOptions { AddSpecialTokens = false }).Length;
        // A window exactly as long as the document (plus [CLS] and [SEP]) is the same single window.
        var exact = embedder.LateChunk([Document], new LateChunkOptions { MaxLength = tokens + 2 })[0];
        for (int c = 0; c < single.Count; c++)
            Assert.Equal(single[c].Embedding.ToArray(), exact[c].Embedding.ToArray());
    }

    [FixtureFact]
    public void Bad_documents_and_spans_get_clear_results()
    {
        using var embedder = Load();
        var results = embedder.LateChunk(["", "   ", "One."]);
        Assert.Empty(results[0]);
        Assert.Empty(results[1]);
        Assert.Single(results[2]);
        var outside = Assert.Throws<ArgumentException>(() => embedder.LateChunk(["short"], new LateChunkOptions { Chunker = new SpanChunker([new(2, 50)]) }));
        Assert.Contains("[2, 50)", outside.Message);
        Assert.Throws<ArgumentNullException>(() => embedder.LateChunk(["a", null!]));
    }

    [FixtureFact]
    public void A_one_megabyte_document_is_chunked()
    {
        using var embedder = Load();
        var paragraph = "Embedding libraries turn text into vectors. Late chunking keeps context across chunks. ";
        string text = string.Concat(Enumerable.Repeat(paragraph, 1024 * 1024 / paragraph.Length + 1));
        var chunks = embedder.LateChunk([text], new LateChunkOptions { Chunker = new TokenWindowChunker(256) })[0];
        Assert.True(chunks.Count > 500);
        Assert.Equal(text.TrimEnd().Length, chunks[^1].End);
        Assert.All(chunks, c => Assert.True(c.TokenCount > 0));
    }
}
