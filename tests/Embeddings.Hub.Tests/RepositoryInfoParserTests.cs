using System.Text;
using Embeddings.Hub;

namespace Embeddings.Hub.Tests;

public sealed class RepositoryInfoParserTests
{
    private const string Sha = "5c38ec7c405ec4b44b94cc5a9bb96e735b38267a";

    [Fact]
    public void Reads_the_commit_and_the_file_names_and_ignores_everything_else()
    {
        var json = $$$"""
            {"_id": "x", "id": "org/model", "sha": "{{{Sha}}}", "private": false, "tags": ["a", {"deep": [1, 2]}],
             "siblings": [{"rfilename": "config.json"}, {"rfilename": "onnx/model.onnx", "size": 12}],
             "cardData": {"language": ["en"]}}
            """;

        var info = Parse(json);

        Assert.Equal(("org/model", "main", Sha), (info.RepoId, info.Revision, info.CommitHash));
        Assert.Equal(["config.json", "onnx/model.onnx"], info.Files);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"siblings\": []}")]
    [InlineData("{\"sha\": \"../../etc\", \"siblings\": []}")]
    [InlineData("{\"sha\": 12, \"siblings\": []}")]
    [InlineData("{\"sha\": \"" + Sha + "\"}")]
    [InlineData("{\"sha\": \"" + Sha + "\", \"siblings\": {}}")]
    [InlineData("{\"sha\": \"" + Sha + "\", \"siblings\": [{\"name\": \"x\"}]}")]
    [InlineData("{\"sha\": \"" + Sha + "\", \"siblings\": [{\"rfilename\": 3}]}")]
    [InlineData("{\"sha\": \"" + Sha + "\", \"siblings\": [\"config.json\"]}")]
    public void Rejects_answers_that_are_not_a_model_description(string json)
    {
        var error = Assert.Throws<HubResponseException>(() => Parse(json));

        Assert.Equal("org/model", error.RepoId);
    }

    [Theory]
    [InlineData("../../outside")]
    [InlineData("/etc/passwd")]
    [InlineData("C:/x")]
    [InlineData("a\\\\b")]
    [InlineData("a/./b")]
    public void Rejects_a_file_name_that_could_leave_the_snapshot_and_names_its_index(string fileName)
    {
        var json = $$"""{"sha": "{{Sha}}", "siblings": [{"rfilename": "ok.json"}, {"rfilename": "{{fileName}}"}]}""";

        var error = Assert.Throws<HubResponseException>(() => Parse(json));

        Assert.Contains("siblings[1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_nesting_deeper_than_the_limit()
    {
        var json = $"{{\"sha\": \"{Sha}\", \"siblings\": [], \"x\": {new string('[', 100)}{new string(']', 100)}}}";

        var error = Assert.Throws<HubResponseException>(() => Parse(json));

        Assert.Contains("deeper", error.Message, StringComparison.Ordinal);
    }

    private static HubRepositoryInfo Parse(string json) =>
        RepositoryInfoParser.Parse(Encoding.UTF8.GetBytes(json), "org/model", "main");
}
