using System.ClientModel;
using System.Runtime.InteropServices;
using Embeddings.Server.Tests.Support;
using Embeddings.TestModels;
using OpenAI;
using OpenAI.Embeddings;

namespace Embeddings.Server.Tests;

/// <summary>POST /v1/embeddings through the official OpenAI .NET client and over plain HTTP.</summary>
public sealed class OpenAiRouteTests(BertServer bert) : IClassFixture<BertServer>
{
    private static readonly string[] Texts = ["The cat sits on the mat.", "A feline rests on a rug.", "Stocks fell sharply."];

    private EmbeddingClient Client() => new("bert-mean-tiny", new ApiKeyCredential("any key"),
        new OpenAIClientOptions { Endpoint = new Uri(bert.Server.Address, "v1") });

    [FixtureFact]
    public async Task The_OpenAI_client_gets_the_library_vectors_in_order_with_usage()
    {
        OpenAIEmbeddingCollection embeddings = await Client().GenerateEmbeddingsAsync(Texts);
        var expected = bert.Model.Embed(Texts, new EmbedOptions { Normalize = true });
        Assert.Equal(Texts.Length, embeddings.Count);
        for (int i = 0; i < Texts.Length; i++)
        {
            Assert.Equal(i, embeddings[i].Index);
            Assert.Equal(expected[i].ToArray(), embeddings[i].ToFloats().ToArray());
        }
        Assert.Equal(expected.TotalTokens, embeddings.Usage.InputTokenCount);
        Assert.Equal(expected.TotalTokens, embeddings.Usage.TotalTokenCount);
        Assert.Equal("bert-mean-tiny", embeddings.Model);
    }

    [FixtureFact]
    public async Task The_OpenAI_client_asks_for_fewer_dimensions_and_gets_them_renormalized()
    {
        OpenAIEmbedding embedding = await Client().GenerateEmbeddingAsync(Texts[0], new EmbeddingGenerationOptions { Dimensions = 8 });
        var expected = bert.Model.Embed([Texts[0]], new EmbedOptions { Normalize = true, Dimensions = 8 });
        Assert.Equal(expected[0].ToArray(), embedding.ToFloats().ToArray());
    }

    [FixtureFact]
    public async Task The_OpenAI_client_sees_too_many_inputs_as_a_413()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client().GenerateEmbeddingsAsync(Enumerable.Repeat("a", 33)));
        Assert.Equal(413, error.Status);
        Assert.Contains("maximum allowed batch size 32", error.Message);
    }

    [FixtureFact]
    public async Task Float_and_base64_encodings_carry_the_same_vectors()
    {
        var (floatStatus, asFloats) = await bert.Server.PostAsync("/v1/embeddings", new { input = Texts, encoding_format = "float" });
        var (base64Status, asBase64) = await bert.Server.PostAsync("/v1/embeddings", new { input = Texts, encoding_format = "base64" });
        Assert.Equal(200, floatStatus);
        Assert.Equal(200, base64Status);
        var floatItems = Json.Required(asFloats).GetProperty("data").EnumerateArray().ToArray();
        var base64Items = Json.Required(asBase64).GetProperty("data").EnumerateArray().ToArray();
        for (int i = 0; i < Texts.Length; i++)
        {
            Assert.Equal("embedding", floatItems[i].GetProperty("object").GetString());
            var decoded = MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(base64Items[i].GetProperty("embedding").GetString()!)).ToArray();
            Assert.Equal(Json.Floats(floatItems[i].GetProperty("embedding")), decoded);
        }
        Assert.Equal("list", Json.Required(asFloats).GetProperty("object").GetString());
    }

    [FixtureFact]
    public async Task A_single_string_input_is_one_embedding_and_the_alias_route_answers_too()
    {
        var (status, body) = await bert.Server.PostAsync("/embeddings", new { input = Texts[0], model = "bert-mean-tiny" });
        Assert.Equal(200, status);
        var item = Assert.Single(Json.Required(body).GetProperty("data").EnumerateArray());
        Assert.Equal(bert.Model.Embed([Texts[0]])[0].ToArray(), Json.Floats(item.GetProperty("embedding")));
    }

    [FixtureTheory]
    [InlineData("""{"input": []}""", 422)]
    [InlineData("""{"input": "a", "encoding_format": "int8"}""", 422)]
    [InlineData("""{"input": "a", "dimensions": 64}""", 422)]
    [InlineData("""{"input": [[1, 2, 3]]}""", 422)]
    [InlineData("""{"model": "x"}""", 422)]
    public async Task Errors_come_in_OpenAI_shape(string request, int expectedStatus)
    {
        var (status, body) = await bert.Server.PostAsync("/v1/embeddings", request);
        Assert.Equal(expectedStatus, status);
        var error = Json.Required(body).GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(expectedStatus, error.GetProperty("code").GetInt32());
    }
}
