using Embeddings.Hub.Tests.Fakes;
using Embeddings.Hub;

namespace Embeddings.Hub.Tests;

public sealed class HubErrorTests
{
    private const string RepoId = "org/model";

    [Fact]
    public async Task A_private_model_without_a_token_is_an_authentication_error_that_mentions_HF_TOKEN()
    {
        await using var context = new HubTestContext();
        context.Hub.AddRepo(RepoId, RepoAccess.Private).Commit(new Dictionary<string, FakeFile> { ["config.json"] = FakeFile.Text("{}") });

        var error = await Assert.ThrowsAsync<HubAuthenticationException>(() => context.Client().DownloadFileAsync(RepoId, "config.json"));

        Assert.Equal(401, error.StatusCode);
        Assert.False(error.IsGated);
        Assert.Equal(RepoId, error.RepoId);
        Assert.Contains("HF_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.Null(context.Hub.Requests.Single().Header("Authorization"));
    }

    [Fact]
    public async Task A_gated_model_says_to_accept_its_terms()
    {
        await using var context = new HubTestContext();
        context.Hub.AddRepo(RepoId, RepoAccess.Gated).Commit(new Dictionary<string, FakeFile> { ["config.json"] = FakeFile.Text("{}") });

        var error = await Assert.ThrowsAsync<HubAuthenticationException>(() => context.Client().DownloadFileAsync(RepoId, "config.json"));

        Assert.True(error.IsGated);
        Assert.Contains("accept its terms", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{context.Hub.Endpoint.AbsoluteUri}{RepoId}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_token_is_sent_as_a_bearer_header_but_never_appears_in_the_message()
    {
        await using var context = new HubTestContext();
        context.Hub.AddRepo(RepoId, RepoAccess.Gated).Commit(new Dictionary<string, FakeFile> { ["config.json"] = FakeFile.Text("{}") });
        const string wrongToken = "hf_WrongButSecret987654321";

        var error = await Assert.ThrowsAsync<HubAuthenticationException>(() => context.Client(o => o.Token = wrongToken).DownloadFileAsync(RepoId, "config.json"));

        Assert.Equal(403, error.StatusCode);
        Assert.Equal($"Bearer {wrongToken}", context.Hub.Requests.Single().Header("Authorization"));
        Assert.DoesNotContain(wrongToken, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_error_message_carries_the_token()
    {
        await using var context = new HubTestContext();
        context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["config.json"] = FakeFile.Text("{}") });
        var client = context.Client(o => o.Token = FakeHub.ValidToken);
        var errors = new List<Exception>
        {
            await Assert.ThrowsAsync<HubRepositoryNotFoundException>(() => client.DownloadFileAsync("org/absent", "config.json")),
            await Assert.ThrowsAsync<HubRevisionNotFoundException>(() => client.DownloadFileAsync(RepoId, "config.json", "v9")),
            await Assert.ThrowsAsync<HubEntryNotFoundException>(() => client.DownloadFileAsync(RepoId, "absent.json")),
            await Assert.ThrowsAsync<HubRevisionNotFoundException>(() => client.DownloadModelAsync(RepoId, ["*.json"], "v9")),
        };
        context.Hub.FailEverythingWith = 500;
        errors.Add(await Assert.ThrowsAsync<HubOfflineException>(() => client.DownloadFileAsync(RepoId, "tokenizer.json")));
        errors.Add(await Assert.ThrowsAsync<HubResponseException>(() => client.GetRepositoryInfoAsync(RepoId)));

        Assert.All(errors, e => Assert.DoesNotContain(FakeHub.ValidToken, e.ToString(), StringComparison.Ordinal));
        Assert.All(context.Hub.Requests, r => Assert.Equal($"Bearer {FakeHub.ValidToken}", r.Header("Authorization")));
    }

    [Fact]
    public async Task An_unknown_repository_is_reported_as_not_found()
    {
        await using var context = new HubTestContext();

        var error = await Assert.ThrowsAsync<HubRepositoryNotFoundException>(() => context.Client().DownloadFileAsync("org/absent", "config.json"));

        Assert.Equal("org/absent", error.RepoId);
        Assert.Contains("'org/absent'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_revision_is_reported_as_such()
    {
        await using var context = new HubTestContext();
        context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["config.json"] = FakeFile.Text("{}") });

        var error = await Assert.ThrowsAsync<HubRevisionNotFoundException>(() => context.Client().DownloadFileAsync(RepoId, "config.json", "v2.0"));

        Assert.Equal("v2.0", error.Revision);
        Assert.False(Directory.Exists(Path.Combine(context.RepoFolder(RepoId), "refs")));
    }

    [Fact]
    public async Task A_missing_file_is_reported_and_recorded_in_no_exist_like_huggingface_hub()
    {
        await using var context = new HubTestContext();
        var commit = context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["config.json"] = FakeFile.Text("{}") });
        var client = context.Client();

        var error = await Assert.ThrowsAsync<HubEntryNotFoundException>(() => client.DownloadFileAsync(RepoId, "2_Dense/config.json"));

        Assert.Equal(("2_Dense/config.json", "main", commit), (error.FileName, error.Revision, error.CommitHash));
        var folder = context.RepoFolder(RepoId);
        Assert.True(File.Exists(Path.Combine(folder, ".no_exist", commit, "2_Dense", "config.json")));
        Assert.Equal(commit, await File.ReadAllTextAsync(Path.Combine(folder, "refs", "main")));
        Assert.True(client.Cache.IsKnownMissing(RepoId, "2_Dense/config.json"));
    }

    [Fact]
    public async Task An_answer_without_hub_headers_is_not_taken_for_a_file()
    {
        await using var context = new HubTestContext();
        // A captive portal or a misconfigured proxy answering 200 to everything.
        await using var portal = new LocalHttpServer(_ => new FakeResponse { Body = "<html>Sign in</html>"u8.ToArray() });

        var error = await Assert.ThrowsAsync<HubOfflineException>(() => context.Client(o => o.Endpoint = portal.BaseUri).DownloadFileAsync(RepoId, "config.json"));

        Assert.Contains("X-Repo-Commit", Assert.IsType<HubResponseException>(error.InnerException).Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(context.CacheDirectory));
    }

    [Theory]
    [InlineData("\"../../../escape\"")]
    [InlineData("\"a/b\"")]
    [InlineData("\"..\"")]
    [InlineData("\"\"")]
    public async Task An_ETag_that_cannot_name_a_blob_is_refused(string etag)
    {
        await using var context = new HubTestContext();
        await using var hostile = new LocalHttpServer(_ => new FakeResponse { Body = "x"u8.ToArray() }
            .With("X-Repo-Commit", new string('a', 40))
            .With("ETag", etag));

        var error = await Assert.ThrowsAsync<HubOfflineException>(() => context.Client(o => o.Endpoint = hostile.BaseUri).DownloadFileAsync(RepoId, "config.json"));

        Assert.Contains("ETag", Assert.IsType<HubResponseException>(error.InnerException).Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(context.RepoFolder(RepoId), "blobs")));
    }

    [Theory]
    [InlineData("../../../escape")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF01")]
    [InlineData("abc")]
    public async Task A_commit_header_that_is_not_a_lowercase_hash_is_refused(string commit)
    {
        await using var context = new HubTestContext();
        await using var hostile = new LocalHttpServer(_ => new FakeResponse { Body = "x"u8.ToArray() }
            .With("X-Repo-Commit", commit)
            .With("ETag", "\"" + new string('b', 40) + "\""));

        var error = await Assert.ThrowsAsync<HubOfflineException>(() => context.Client(o => o.Endpoint = hostile.BaseUri).DownloadFileAsync(RepoId, "config.json"));

        Assert.Contains("commit", Assert.IsType<HubResponseException>(error.InnerException).Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(context.RepoFolder(RepoId), "snapshots")));
    }

    [Theory]
    [InlineData("../outside.json")]
    [InlineData("a/../../outside.json")]
    [InlineData("/etc/passwd")]
    [InlineData("C:/Windows/win.ini")]
    [InlineData("D:relative")]
    [InlineData("onnx\\model.onnx")]
    [InlineData("\\\\server\\share\\x")]
    [InlineData("a//b")]
    [InlineData("./config.json")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData("config\0.json")]
    public async Task A_file_name_that_could_leave_the_snapshot_is_rejected_before_any_request(string fileName)
    {
        await using var context = new HubTestContext();
        var client = context.Client();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.DownloadFileAsync(RepoId, fileName));
        await Assert.ThrowsAsync<ArgumentException>(() => client.DownloadModelAsync(RepoId, [fileName]));

        Assert.Equal("filename", error.ParamName);
        Assert.Empty(context.Hub.Requests);
        Assert.False(Directory.Exists(context.CacheDirectory));
    }

    [Theory]
    [InlineData("../model")]
    [InlineData("org/../model")]
    [InlineData("org/name/extra")]
    [InlineData("org--x/model")]
    [InlineData("org/model.git")]
    [InlineData("-org/model")]
    [InlineData("org/mo del")]
    [InlineData("org\\model")]
    [InlineData("/model")]
    [InlineData("")]
    public async Task An_invalid_repository_id_is_rejected_before_any_request(string repoId)
    {
        await using var context = new HubTestContext();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => context.Client().DownloadFileAsync(repoId, "config.json"));

        Assert.Equal("repoId", error.ParamName);
        Assert.Empty(context.Hub.Requests);
    }

    [Theory]
    [InlineData("../main")]
    [InlineData("main/../../x")]
    [InlineData("a..b")]
    [InlineData("/main")]
    [InlineData("main/")]
    [InlineData(".hidden")]
    [InlineData("branch.lock")]
    [InlineData("with space")]
    [InlineData("back\\slash")]
    [InlineData("C:main")]
    [InlineData("")]
    public async Task An_invalid_revision_is_rejected_before_any_request(string revision)
    {
        await using var context = new HubTestContext();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => context.Client().DownloadFileAsync(RepoId, "config.json", revision));

        Assert.Equal("revision", error.ParamName);
        Assert.Empty(context.Hub.Requests);
    }

    [Theory]
    [InlineData("gpt2")]
    [InlineData("sentence-transformers/all-MiniLM-L6-v2")]
    [InlineData("BAAI/bge-small-en-v1.5")]
    [InlineData("intfloat/multilingual-e5_small")]
    public async Task Real_repository_id_shapes_are_accepted(string repoId)
    {
        await using var context = new HubTestContext();
        context.Hub.AddRepo(repoId).Commit(new Dictionary<string, FakeFile> { ["config.json"] = FakeFile.Text("{}") });

        var path = await context.Client().DownloadFileAsync(repoId, "config.json");

        Assert.StartsWith(context.RepoFolder(repoId) + Path.DirectorySeparatorChar, path, StringComparison.Ordinal);
    }
}
