using System.Diagnostics;
using System.Net.Http.Headers;
using Embeddings.Server.Tests.Support;
using Embeddings.TestModels;

namespace Embeddings.Server.Tests;

/// <summary>What operators use around the API: --help, load errors, the API key, /metrics, the OpenAPI document, error bodies.</summary>
public sealed class ServerToolingTests
{
    private static string Bert => Fixtures.ModelDir("bert-mean-tiny");

    [Fact]
    public async Task Help_is_printed_on_stdout_with_exit_code_0_without_loading_a_model()
    {
        // A model id that cannot be fetched: answering --help must not try.
        var (code, stdout, stderr) = await RunServerProcessAsync("--model", "no-such-org/no-such-model", "--help");
        Assert.Equal(0, code);
        Assert.Contains("Usage: Embeddings.Server", stdout);
        Assert.Contains("--api-key", stdout);
        Assert.Equal("", stderr);
    }

    [Fact]
    public async Task A_model_that_cannot_load_is_reported_in_one_line_without_a_stack_trace()
    {
        string missing = Path.Combine(Path.GetTempPath(), "embeddings-server-no-model-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(missing);
        try
        {
            var (code, _, stderr) = await RunServerProcessAsync("--model", missing, "--urls", "http://127.0.0.1:0");
            Assert.Equal(1, code);
            string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var line = Assert.Single(lines);
            Assert.StartsWith("Could not load the model: ", line);
            Assert.DoesNotContain(" at Embeddings.", stderr);
        }
        finally
        {
            Directory.Delete(missing, recursive: true);
        }
    }

    [FixtureFact]
    public async Task With_an_api_key_requests_need_the_bearer_token_and_health_stays_open()
    {
        await using var server = await RunningServer.StartAsync(Bert, ["--api-key", "s3cret"]);

        var (status, body) = await server.PostAsync("/embed", new { inputs = "a" });
        Assert.Equal(401, status);
        Assert.Equal("Unauthorized", Json.Required(body).GetProperty("error_type").GetString());

        using (var wrong = new HttpRequestMessage(HttpMethod.Post, "/embed") { Content = JsonContent("{\"inputs\":\"a\"}") })
        {
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cre");
            using var answer = await server.Http.SendAsync(wrong);
            Assert.Equal(401, (int)answer.StatusCode);
        }
        using (var right = new HttpRequestMessage(HttpMethod.Post, "/embed") { Content = JsonContent("{\"inputs\":\"a\"}") })
        {
            right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
            using var answer = await server.Http.SendAsync(right);
            Assert.Equal(200, (int)answer.StatusCode);
        }
        Assert.Equal(200, (await server.GetAsync("/health")).Status);
        Assert.Equal(401, (await server.GetAsync("/info")).Status);
    }

    [FixtureFact]
    public async Task Metrics_are_Prometheus_text_with_TEI_names_that_count_the_requests_served()
    {
        await using var server = await RunningServer.StartAsync(Bert);
        for (int i = 0; i < 3; i++) Assert.Equal(200, (await server.PostAsync("/embed", new { inputs = new[] { $"text {i}", "another one" } })).Status);
        Assert.Equal(422, (await server.PostAsync("/embed", new { inputs = Array.Empty<string>() })).Status);

        using var response = await server.Http.GetAsync("/metrics");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        string text = await response.Content.ReadAsStringAsync();
        Assert.Contains("te_request_count{route=\"/embed\"} 4", text);
        Assert.Contains("te_request_success{route=\"/embed\"} 3", text);
        Assert.Contains("te_request_failure{route=\"/embed\",status=\"422\"} 1", text);
        Assert.Contains("te_request_duration_bucket{route=\"/embed\",le=", text);
        Assert.Contains("te_queue_size 0", text);
        // Model-run metrics come from the library's meter (shared by every server in this process, so only "some").
        Assert.Matches(@"te_batch_next_size_count [1-9]", text);
        Assert.Matches(@"te_batch_inference_duration_count [1-9]", text);
        Assert.Matches(@"embeddings_tokens_total\{operation=""embed""\} [1-9]", text);
    }

    [FixtureFact]
    public async Task The_OpenAPI_document_describes_the_routes_and_the_docs_page_is_served()
    {
        await using var server = await RunningServer.StartAsync(Bert);
        var (status, body) = await server.GetAsync("/openapi/v1.json");
        Assert.Equal(200, status);
        var paths = Json.Required(body).GetProperty("paths");
        foreach (string path in new[] { "/embed", "/embed_all", "/embed_sparse", "/tokenize", "/decode", "/v1/embeddings", "/info", "/health" })
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document.");
        var embedBody = paths.GetProperty("/embed").GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal("inputs", embedBody.GetProperty("required")[0].GetString());
        Assert.False(paths.TryGetProperty("/metrics", out _));

        using var docs = await server.Http.GetAsync("/docs");
        Assert.Equal(200, (int)docs.StatusCode);
        Assert.Equal("text/html", docs.Content.Headers.ContentType?.MediaType);
    }

    [FixtureFact]
    public async Task Unknown_routes_and_wrong_methods_are_answered_in_TEI_error_shape()
    {
        await using var server = await RunningServer.StartAsync(Bert);
        var (notFound, notFoundBody) = await server.PostAsync("/no-such-route", new { inputs = "a" });
        Assert.Equal(404, notFound);
        Assert.Equal("NotFound", Json.Required(notFoundBody).GetProperty("error_type").GetString());
        Assert.Contains("/no-such-route", Json.Required(notFoundBody).GetProperty("error").GetString());

        var (wrongMethod, wrongMethodBody) = await server.GetAsync("/embed");
        Assert.Equal(405, wrongMethod);
        Assert.Equal("MethodNotAllowed", Json.Required(wrongMethodBody).GetProperty("error_type").GetString());
        Assert.Contains("POST", Json.Required(wrongMethodBody).GetProperty("error").GetString());
    }

    [FixtureFact]
    public async Task Info_of_a_sparse_model_reports_the_vocabulary_as_its_dimensions()
    {
        await using var server = await RunningServer.StartAsync(Fixtures.ModelDir("splade-tiny"));
        var (status, body) = await server.GetAsync("/info");
        Assert.Equal(200, status);
        var info = Json.Required(body);
        int vocabulary = info.GetProperty("vocab_size").GetInt32();
        Assert.True(vocabulary > 0);
        Assert.Equal(vocabulary, info.GetProperty("dimensions").GetInt32());
        Assert.Equal(vocabulary, info.GetProperty("sparse_dimensions").GetInt32());
        Assert.False(info.GetProperty("supports_dense").GetBoolean());
        Assert.True(info.GetProperty("supports_sparse").GetBoolean());
        Assert.Equal("float32", info.GetProperty("model_dtype").GetString());
        Assert.Equal(JsonValueKindNull, info.GetProperty("model_sha").ValueKind);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    // The server's own program, as users start it (dotnet Embeddings.Server.dll …), bounded in time.
    private static async Task<(int Code, string Stdout, string Stderr)> RunServerProcessAsync(params string[] args)
    {
        string program = Path.Combine(AppContext.BaseDirectory, "Embeddings.Server.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(program);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.Environment["HF_HUB_OFFLINE"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException("The server process did not exit within 60 s.");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
