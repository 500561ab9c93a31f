using Embeddings.Remote.Tests.Support;
using Embeddings.TestModels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;

namespace Embeddings.Remote.Tests;

/// <summary>The remote embedder against the server sample in this process: the library's results over HTTP.</summary>
public sealed class RemoteEmbedderTests
{
    private static string Bert => Fixtures.ModelDir("bert-mean-tiny");

    private static string[] Texts(int count) =>
        Enumerable.Range(0, count).Select(i => $"Text number {i} talks about {(i % 3 == 0 ? "cats on mats" : i % 3 == 1 ? "the stock market" : "rain in Spain")}.").ToArray();

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"component {i}: {expected[i]} vs {actual[i]}");
    }

    private sealed class Recorder : IProgress<EmbeddingProgress>
    {
        public List<EmbeddingProgress> Reports { get; } = [];

        public void Report(EmbeddingProgress value)
        {
            lock (Reports) Reports.Add(value);
        }
    }

    [FixtureFact]
    public async Task Embed_over_HTTP_equals_the_library_in_requests_no_larger_than_the_servers_limit()
    {
        await using var server = await LocalServer.StartAsync(Bert, "--max-client-batch-size", "8");
        using var remote = await RemoteEmbedder.ConnectAsync(server.Address);
        Assert.Equal(8, remote.MaxClientBatchSize);
        Assert.Equal(server.Model.Info.Dimensions, remote.Info.Dimensions);
        Assert.Equal(server.Model.Info.MaxSequenceLength, remote.Info.MaxSequenceLength);
        Assert.Equal(server.Model.Info.Pooling, remote.Info.Pooling);
        Assert.Equal(server.Model.Info.Prompts, remote.Info.Prompts);

        var texts = Texts(70);
        var progress = new Recorder();
        var expected = server.Model.Embed(texts);
        var actual = await remote.EmbedAsync(texts, new EmbedOptions { Progress = progress });
        Assert.Equal(texts.Length, actual.Count);
        for (int i = 0; i < texts.Length; i++) AssertClose(expected[i].Span, actual[i].Span);
        Assert.Equal(expected.TokenCounts, actual.TokenCounts);
        Assert.Equal(9, server.RequestsOn("/embed")); // 70 texts in requests of at most 8
        Assert.Equal(new EmbeddingProgress(70, 70), progress.Reports[^1]);
        Assert.True(progress.Reports.Select(p => p.Completed).SequenceEqual(progress.Reports.Select(p => p.Completed).Order()));

        // Per-call options travel with the request.
        var options = new EmbedOptions { Normalize = false, Dimensions = 16, PromptName = "query" };
        var expectedWithOptions = server.Model.Embed(texts[..3], options);
        var actualWithOptions = remote.Embed(texts[..3], options);
        for (int i = 0; i < 3; i++) AssertClose(expectedWithOptions[i].Span, actualWithOptions[i].Span);
    }

    [FixtureFact]
    public async Task Token_vectors_and_the_embedding_generator_match_the_library()
    {
        await using var server = await LocalServer.StartAsync(Bert);
        using var remote = RemoteEmbedder.Connect(server.Address);
        string[] texts = ["Héllo wörld, naïve café!", "A second, longer text about embeddings 🙂 and emoji."];
        var expected = server.Model.EmbedTokens(texts);
        var actual = remote.EmbedTokens(texts);
        for (int i = 0; i < texts.Length; i++)
        {
            Assert.Equal(expected[i].Ids, actual[i].Ids);
            Assert.Equal(expected[i].IsSpecial, actual[i].IsSpecial);
            Assert.Equal(expected[i].Tokens, actual[i].Tokens);
            for (int t = 0; t < expected[i].Count; t++)
                if (!expected[i].IsSpecial[t]) Assert.Equal(expected[i].Offsets[t], actual[i].Offsets[t]);
            AssertClose(expected[i].Vectors.Span, actual[i].Vectors.Span);
        }

        using var generator = remote.AsEmbeddingGenerator();
        var generated = await generator.GenerateAsync(texts);
        var dense = server.Model.Embed(texts);
        for (int i = 0; i < texts.Length; i++) AssertClose(dense[i].Span, generated[i].Vector.Span);

        Assert.Throws<NotSupportedException>(() => remote.LateChunk(texts));
        await Assert.ThrowsAsync<NotSupportedException>(() => remote.EmbedSparseAsync(texts));
    }

    [FixtureFact]
    public async Task Sparse_vectors_match_the_library()
    {
        await using var server = await LocalServer.StartAsync(Fixtures.ModelDir("splade-tiny"));
        using var remote = await RemoteEmbedder.ConnectAsync(server.Address);
        Assert.Equal(0, remote.Info.Dimensions);
        Assert.True(remote.Info.SupportsSparse);
        string[] texts = ["The cat sits on the mat.", "Sparse lexical vectors", "a"];
        var expected = server.Model.EmbedSparse(texts, new SparseEmbeddingOptions { TopK = 5 });
        var actual = await remote.EmbedSparseAsync(texts, new SparseEmbeddingOptions { TopK = 5 });
        for (int i = 0; i < texts.Length; i++)
        {
            Assert.Equal(expected[i].Indices, actual[i].Indices);
            AssertClose(expected[i].Values.ToArray(), actual[i].Values.ToArray());
            Assert.Equal(expected[i].Dimension, actual[i].Dimension);
        }
        await Assert.ThrowsAsync<NotSupportedException>(() => remote.EmbedAsync(texts));
    }

    [FixtureFact]
    public async Task Truncation_errors_name_the_callers_index_and_the_api_key_is_sent()
    {
        await using var server = await LocalServer.StartAsync(Bert, "--max-client-batch-size", "2", "--api-key", "k3y");
        var refused = await Assert.ThrowsAsync<RemoteEmbedderException>(() => RemoteEmbedder.ConnectAsync(server.Address));
        Assert.Equal(401, refused.StatusCode);

        using var remote = await RemoteEmbedder.ConnectAsync(server.Address, new RemoteEmbedderOptions { ApiKey = "k3y" });
        var texts = Texts(5).ToList();
        texts[3] = string.Join(' ', Enumerable.Repeat("word", 2000));
        var error = await Assert.ThrowsAsync<InputTooLongException>(() => remote.EmbedAsync(texts, new EmbedOptions { Truncation = OverlongInputPolicy.Error }));
        Assert.Equal(3, error.Index);
        Assert.Equal(server.Model.Info.MaxSequenceLength, error.MaxTokens);

        var cut = await remote.EmbedAsync(texts);
        Assert.Equal([3], cut.TruncatedIndexes);
        AssertClose(server.Model.Embed([texts[3]])[0].Span, cut[3].Span);
    }

    [Fact]
    public async Task Overloaded_and_unavailable_answers_are_retried_then_reported_typed()
    {
        // Two 503s, then vectors: the call succeeds on its third try.
        await using (var flaky = await ScriptedServer.StartAsync((call, context) => Task.FromResult(call < 2
            ? ScriptedServer.Error(503, "Unhealthy", "starting")
            : ScriptedServer.Vectors(3))))
        {
            using var remote = await RemoteEmbedder.ConnectAsync(flaky.Address, Quick(maxRetries: 3));
            var result = await remote.EmbedAsync(["a", "b", "c"]);
            Assert.Equal(3, result.Count);
            Assert.Equal(3, flaky.EmbedCalls);
        }

        // Always 429: the queue-full exception after the first try and its retries.
        await using (var busy = await ScriptedServer.StartAsync((_, _) => Task.FromResult(ScriptedServer.Error(429, "Overloaded", "queue full"))))
        {
            using var remote = await RemoteEmbedder.ConnectAsync(busy.Address, Quick(maxRetries: 2));
            var error = await Assert.ThrowsAsync<EmbeddingQueueFullException>(() => remote.EmbedAsync(["a"]));
            Assert.Contains("queue full", error.Message);
            Assert.Equal(3, busy.EmbedCalls);
        }

        // A 422 is the request's fault: never retried.
        await using (var strict = await ScriptedServer.StartAsync((_, _) => Task.FromResult(ScriptedServer.Error(422, "Validation", "bad input"))))
        {
            using var remote = await RemoteEmbedder.ConnectAsync(strict.Address, Quick(maxRetries: 3));
            var error = await Assert.ThrowsAsync<RemoteEmbedderException>(() => remote.EmbedAsync(["a"]));
            Assert.Equal(422, error.StatusCode);
            Assert.Equal("Validation", error.ErrorType);
            Assert.Equal(1, strict.EmbedCalls);
        }
    }

    [Fact]
    public async Task Against_an_info_without_dimensions_the_width_is_learned_from_one_text()
    {
        await using var tei = await ScriptedServer.StartAsync((_, _) => Task.FromResult(ScriptedServer.Vectors(1)), reportDimensions: false);
        using var remote = await RemoteEmbedder.ConnectAsync(tei.Address, Quick(maxRetries: 0));
        Assert.Equal(2, remote.Info.Dimensions);
        Assert.Equal(1, tei.EmbedCalls);
        var result = await remote.EmbedAsync(["a"]);
        Assert.Equal(2, result.Dimensions);
        Assert.Equal([0], result.TokenCounts); // TEI reports no token counts: unknown, not guessed
    }

    [Fact]
    public async Task Requests_are_split_by_the_servers_batch_size_and_run_at_most_max_concurrency_at_once()
    {
        int running = 0, most = 0;
        var sizes = new List<int>();
        await using var server = await ScriptedServer.StartAsync(async (_, context) =>
        {
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            using var body = await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body);
            int count = body.RootElement.GetProperty("inputs").GetArrayLength();
            lock (sizes) sizes.Add(count);
            await Task.Delay(30);
            Interlocked.Decrement(ref running);
            return ScriptedServer.Vectors(count);
        });
        var options = Quick(maxRetries: 0);
        options.MaxConcurrency = 2;
        using var remote = await RemoteEmbedder.ConnectAsync(server.Address, options);
        var result = await remote.EmbedAsync(Enumerable.Range(0, 18).Select(i => $"t{i}").ToArray());
        Assert.Equal(18, result.Count);
        Assert.Equal(5, sizes.Count); // max_client_batch_size 4
        Assert.All(sizes, size => Assert.InRange(size, 1, 4));
        Assert.InRange(most, 1, 2);
    }

    [Fact]
    public async Task Slow_answers_time_out_cancellation_stops_the_call_and_an_absent_server_is_typed()
    {
        await using var slow = await ScriptedServer.StartAsync(async (_, context) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted);
            return ScriptedServer.Vectors(1);
        });
        // A first connection warms the server up, so /info answers well within the short timeout below.
        using (RemoteEmbedder.Connect(slow.Address, Quick(maxRetries: 0))) { }
        var options = Quick(maxRetries: 2);
        options.RequestTimeout = TimeSpan.FromSeconds(2);
        using (var remote = await RemoteEmbedder.ConnectAsync(slow.Address, options))
        {
            await Assert.ThrowsAsync<TimeoutException>(() => remote.EmbedAsync(["a"]));
            Assert.Equal(1, slow.EmbedCalls); // a timeout is not retried
        }
        using (var remote = await RemoteEmbedder.ConnectAsync(slow.Address, Quick(maxRetries: 2)))
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => remote.EmbedAsync(["a"], cancellationToken: cancel.Token));
        }

        // A port nobody listens on (the scripted server's, after it stopped).
        Uri gone;
        await using (var stopped = await ScriptedServer.StartAsync((_, _) => Task.FromResult(ScriptedServer.Vectors(1)))) gone = stopped.Address;
        var unreachable = await Assert.ThrowsAsync<RemoteEmbedderException>(() => RemoteEmbedder.ConnectAsync(gone, Quick(maxRetries: 1)));
        Assert.Null(unreachable.StatusCode);
        Assert.Contains("Could not reach", unreachable.Message);
    }

    private static RemoteEmbedderOptions Quick(int maxRetries) => new()
    {
        MaxRetries = maxRetries,
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromMilliseconds(50),
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
