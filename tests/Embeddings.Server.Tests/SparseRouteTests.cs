using Embeddings.Server.Tests.Support;
using Embeddings.TestModels;

namespace Embeddings.Server.Tests;

/// <summary>/embed_sparse on a SPLADE model: TEI's [[{index, value}]] shape, equal to the library's vectors.</summary>
public sealed class SparseRouteTests(SpladeServer splade) : IClassFixture<SpladeServer>
{
    [FixtureFact]
    public async Task Embed_sparse_answers_index_value_pairs_equal_to_the_library()
    {
        string[] texts = ["The cat sits on the mat.", "Sparse lexical vectors"];
        var (status, body) = await splade.Server.PostAsync("/embed_sparse", new { inputs = texts });
        Assert.Equal(200, status);
        var expected = splade.Model.EmbedSparse(texts);
        var vectors = Json.Required(body).EnumerateArray().ToArray();
        Assert.Equal(texts.Length, vectors.Length);
        for (int i = 0; i < vectors.Length; i++)
        {
            var entries = vectors[i].EnumerateArray().ToArray();
            Assert.NotEmpty(entries);
            Assert.Equal(expected[i].Indices, entries.Select(e => e.GetProperty("index").GetInt32()));
            Assert.Equal(expected[i].Values, entries.Select(e => e.GetProperty("value").GetSingle()));
        }
    }

    [FixtureFact]
    public async Task Dense_vectors_from_a_sparse_model_are_a_424_and_info_says_splade()
    {
        var (status, body) = await splade.Server.PostAsync("/embed", new { inputs = "a" });
        Assert.Equal(424, status);
        Assert.Equal("Backend", Json.Required(body).GetProperty("error_type").GetString());

        var (_, info) = await splade.Server.GetAsync("/info");
        Assert.Equal("splade", Json.Required(info).GetProperty("model_type").GetProperty("embedding").GetProperty("pooling").GetString());
    }

    [FixtureFact]
    public async Task Health_probes_a_sparse_model_with_a_sparse_run()
    {
        var (status, _) = await splade.Server.GetAsync("/health");
        Assert.Equal(200, status);
    }
}
