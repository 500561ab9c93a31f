using Embeddings.Server.Tests.Support;
using Embeddings.TestModels;

namespace Embeddings.Server.Tests;

/// <summary>A server over multivector-tiny (a sentence-transformers 6 MultiVectorEncoder).</summary>
public sealed class MultiVectorServer() : ModelServer("multivector-tiny");

/// <summary>/embed_multi: per input the rows of EmbedMultiVector, in /embed_all's nested-list shape.</summary>
public sealed class MultiVectorRouteTests(MultiVectorServer server) : IClassFixture<MultiVectorServer>
{
    [FixtureTheory]
    [InlineData("query", MultiVectorRole.Query)]
    [InlineData("document", MultiVectorRole.Document)]
    public async Task Embed_multi_answers_the_librarys_rows(string role, MultiVectorRole libraryRole)
    {
        string[] texts = ["capital of Australia", "Canberra is the capital city of Australia, not Sydney."];
        var (status, body) = await server.Server.PostAsync("/embed_multi", new { inputs = texts, role });
        Assert.Equal(200, status);
        var expected = server.Model.EmbedMultiVector(texts, libraryRole);
        var answers = Json.Required(body).EnumerateArray().ToArray();
        Assert.Equal(texts.Length, answers.Length);
        for (int i = 0; i < texts.Length; i++)
        {
            var rows = answers[i].EnumerateArray().ToArray();
            Assert.Equal(expected[i].Count, rows.Length);
            for (int r = 0; r < rows.Length; r++)
                Assert.Equal(expected[i][r].ToArray(), rows[r].EnumerateArray().Select(v => v.GetSingle()));
        }
    }

    [FixtureFact]
    public async Task A_single_input_defaults_to_the_document_role_and_bad_roles_are_422()
    {
        var (status, body) = await server.Server.PostAsync("/embed_multi", new { inputs = "capital of Australia" });
        Assert.Equal(200, status);
        Assert.Equal(server.Model.EmbedMultiVector(["capital of Australia"], MultiVectorRole.Document)[0].Count,
            Json.Required(body)[0].GetArrayLength());

        var (bad, error) = await server.Server.PostAsync("/embed_multi", new { inputs = "x", role = "passage" });
        Assert.Equal(422, bad);
        Assert.Equal("Validation", Json.Required(error).GetProperty("error_type").GetString());
    }
}

/// <summary>/embed_multi on a single-vector model is TEI's 424 (the model cannot do it).</summary>
public sealed class MultiVectorRouteOnDenseModelTests(BertServer bert) : IClassFixture<BertServer>
{
    [FixtureFact]
    public async Task A_dense_model_answers_424()
    {
        var (status, body) = await bert.Server.PostAsync("/embed_multi", new { inputs = "x" });
        Assert.Equal(424, status);
        Assert.Contains("multi-vector", Json.Required(body).GetProperty("error").GetString());
    }
}
