using System.Diagnostics;
using System.Net.Sockets;
using Embeddings.Server.Tests.Support;
using Embeddings.TestModels;
using Embeddings.Tokenization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Embeddings.Server.Tests;

/// <summary>
/// The server under load, with the real model and the real micro-batching queue: many clients on 127.0.0.1, each on
/// its own connection, sending requests whose texts no other request carries (docs/reliability.md, "Server under
/// load"). A full queue answers 429; every other answer is that request's own result; memory does not grow under
/// overload; stopping finishes what the server accepted and refuses the rest.
/// </summary>
[Collection(nameof(ServerLoadCollection))]
public sealed class ServerLoadTests(ITestOutputHelper output)
{
    /// <summary>A request that takes this long has hung: on this model a loaded round takes milliseconds.</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest a stop under load may take. Draining takes well under a second here; the host itself gives up on
    /// requests still running after its 30-second shutdown timeout, so a drain that waits that long has hung.
    /// </summary>
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Requests carry one to three texts of 13 tokens (15 with the query prompt), 13–45 tokens in all: the queue holds
    /// one to four of them, so with dozens of clients most attempts are refused.
    /// </summary>
    private const int QueueBound = 64;

    private static string Bert => Fixtures.ModelDir("bert-mean-tiny");

    private static string Splade => Fixtures.ModelDir("splade-tiny");

    private static string[] BoundedQueue => ["--max-queued-tokens", QueueBound.ToString(System.Globalization.CultureInfo.InvariantCulture)];

    [FixtureFact]
    public async Task Many_clients_each_get_their_own_vectors_or_429_and_the_queue_never_holds_more_than_its_bound()
    {
        const int clients = 96, requestsPerClient = 4;
        await using var server = await RunningServer.StartAsync(Bert, BoundedQueue);
        var model = server.App.Services.GetRequiredService<Embedder>();
        var plan = Plan(clients, requestsPerClient);

        Answer[][][] attempts;
        long highest, samples;
        using (var sampler = QueueSampler.Start(model))
        {
            attempts = await RunClientsAsync(server.Address, plan);
            (highest, samples) = (sampler.Highest, sampler.Samples);
        }

        int ok = 0, overloaded = 0;
        var expectedByKind = new Dictionary<string, List<float[]>>();
        for (int c = 0; c < clients; c++)
        {
            for (int r = 0; r < requestsPerClient; r++)
            {
                var request = plan[c][r];
                var expected = model.Embed(request.Texts, request.Options);
                string kind = $"{request.Path} normalize {request.Options.Normalize} dimensions {request.Options.Dimensions} prompt {request.Options.PromptName}";
                if (!expectedByKind.TryGetValue(kind, out var sameKind)) expectedByKind[kind] = sameKind = [];
                for (int i = 0; i < expected.Count; i++) sameKind.Add(expected.ToArray(i));
                for (int a = 0; a < attempts[c][r].Length; a++)
                {
                    var answer = attempts[c][r][a];
                    string what = $"client {c} request {r} attempt {a} ({request.Path})";
                    Assert.True(answer.Error is null, $"{what} got no answer: {answer}");
                    var body = Json.Required(answer.Body);
                    switch (answer.Status)
                    {
                        case 200:
                            ok++;
                            var vectors = request.Vectors(body, expected);
                            Assert.Equal(request.Texts.Length, vectors.Length);
                            for (int i = 0; i < vectors.Length; i++) VectorAssert.Close(expected[i].Span, vectors[i], $"{what} text {i}");
                            break;
                        case 429:
                            overloaded++;
                            var refusal = Overloaded.Parse(request.OverloadedMessage(body));
                            // The queue's own account of the moment it refused: within its bound, and too full for this request.
                            Assert.Equal(QueueBound, refusal.Limit);
                            Assert.Equal(expected.TotalTokens, refusal.Requested);
                            Assert.True(refusal.Held <= QueueBound, $"{what}: refused while the queue held {refusal.Held} tokens, over its bound {QueueBound}.");
                            Assert.True(refusal.Held + refusal.Requested > QueueBound,
                                $"{what}: refused although its {refusal.Requested} tokens fitted beside the {refusal.Held} held.");
                            break;
                        default:
                            Assert.Fail($"{what} was answered {answer.Status}: {body}");
                            break;
                    }
                }
            }
        }
        output.WriteLine($"{clients} clients, {clients * requestsPerClient} requests, {ok + overloaded} attempts: {ok} answered 200, {overloaded} answered 429; " +
            $"the queue held at most {highest} of {QueueBound} tokens over {samples} samples.");

        Assert.True(ok > 0, "No request was served.");
        Assert.True(overloaded > 0, "No request was refused: the load did not reach the queue's bound.");
        Assert.True(highest <= QueueBound, $"The queue was seen holding {highest} tokens, over its bound of {QueueBound}.");
        Assert.True(highest > 0, "The sampler never saw the queue in use.");
        Assert.Equal(0, model.QueuedTokens); // every accepted request's tokens were released
        // A vector answered to the wrong request would have been caught: distinct texts are far apart.
        foreach (var (kind, vectors) in expectedByKind) AssertFarApart(vectors, kind);
    }

    /// <summary>
    /// Tolerance for live managed memory after a soak. Once warmed up, it moves by at most about 0.2 MB between
    /// measurements (Kestrel's and the clients' pools). The soak makes over 10,000 attempts, about 700 of them served:
    /// keeping anything per attempt (a request's parsed body, its refusal exception, its connection's state) from about
    /// 100 bytes up, or per served request from about 1.5 KB (its vectors and their JSON), passes it. Keeping each
    /// refusal's exception (about 340 bytes) grows it by 3.8 MB.
    /// </summary>
    private const long ManagedTolerance = 1L << 20;

    [FixtureFact]
    public async Task Overload_leaves_live_managed_memory_where_it_was()
    {
        const int clients = 48, requestsPerClient = 8;
        await using var server = await RunningServer.StartAsync(Bert, BoundedQueue);
        var model = server.App.Services.GetRequiredService<Embedder>();
        // Two soaks of the same shape first, so the JIT, Kestrel's and the clients' buffer pools and ONNX Runtime's arena
        // reach their high-water marks: after a short warm-up the pools still grew by 3 MB, after one soak by up to 0.6 MB.
        for (int warmUp = 1; warmUp <= 2; warmUp++)
            await RunClientsAsync(server.Address, Plan(clients, requestsPerClient, firstClient: (8 + warmUp) * clients));
        long before = ManagedMemory.Measure();
        long residentBefore = Environment.WorkingSet;

        // Only tallies are kept: holding thousands of answers would itself be growth.
        int attempts = 0, ok = 0, overloaded = 0;
        var unexpected = new List<string>();
        for (int soak = 1; soak <= 2; soak++)
        {
            foreach (var answer in (await RunClientsAsync(server.Address, Plan(clients, requestsPerClient, firstClient: soak * clients)))
                .SelectMany(client => client).SelectMany(tries => tries))
            {
                attempts++;
                if (answer.Status == 200) ok++;
                else if (answer.Status == 429) overloaded++;
                else unexpected.Add(answer.ToString());
            }
        }
        long after = ManagedMemory.Measure();
        long residentAfter = Environment.WorkingSet;

        output.WriteLine($"{attempts} attempts: {ok} answered 200, {overloaded} answered 429; live managed memory {before / 1048576.0:F2} MB before, " +
            $"{after / 1048576.0:F2} MB after ({(after - before) / 1024.0:+0;-0} KB); resident {residentBefore / 1048576.0:F1} MB before, {residentAfter / 1048576.0:F1} MB after.");
        Assert.True(unexpected.Count == 0, $"Answers other than 200 or 429: {string.Join("; ", unexpected.Distinct().Take(5))}");
        Assert.True(overloaded > ok, "The server was not overloaded: most attempts should have been refused.");
        Assert.Equal(0, model.QueuedTokens);
        Assert.True(after - before <= ManagedTolerance,
            $"Live managed memory grew by {(after - before) / 1048576.0:F2} MB over {attempts} attempts (tolerance {ManagedTolerance / 1048576.0:F0} MB).");
    }

    [FixtureFact]
    public async Task Stopping_under_load_answers_every_accepted_request_and_refuses_the_rest_cleanly()
    {
        const int clients = 64, held = 8;
        var tracker = new RequestTracker();
        // The default queue bound: nothing is refused for load, so a refusal can only come from stopping.
        var server = await RunningServer.StartAsync(Bert, configureServices: services => services.AddSingleton<IStartupFilter>(tracker));
        try
        {
            var model = server.App.Services.GetRequiredService<Embedder>();
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var underWay = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            int served = 0;
            var sending = Enumerable.Range(0, clients).Select(async c =>
            {
                using var client = new LoadClient(server.Address, HangLimit);
                var sent = new List<(string Id, DenseRequest Request, Answer Answer)>();
                await start.Task;
                // Each client sends one request after another until one is not answered 200.
                for (int r = 0; sent.Count == 0 || sent[^1].Answer.Status == 200; r++)
                {
                    var request = DenseRequest.For(c, r);
                    string id = $"{c}/{r}";
                    var answer = await client.PostAsync(request.Path, request.Body, new Dictionary<string, string> { [RequestTracker.Header] = id });
                    sent.Add((id, request, answer));
                    if (answer.Status == 200 && Interlocked.Increment(ref served) == 2 * clients) underWay.TrySetResult();
                }
                return sent;
            }).ToArray();
            start.SetResult();
            await underWay.Task.WaitAsync(HangLimit);
            // Clients tend to move in step (a round answers many at once), so the stop could fall between two rounds:
            // a few requests wait at the server's door until it begins, and then run during the drain.
            await tracker.HoldArrivalsUntilStoppingAsync(held).WaitAsync(HangLimit);

            var clock = Stopwatch.StartNew();
            var stopping = server.App.StopAsync();
            var requests = (await Task.WhenAll(sending).WaitAsync(HangLimit)).SelectMany(sent => sent).ToArray();
            await stopping.WaitAsync(StopLimit);
            var stopTime = clock.Elapsed;

            int accepted = 0;
            var refusals = new List<string>();
            foreach (var (id, _, answer) in requests)
            {
                if (tracker.Visits.TryGetValue(id, out var visit))
                {
                    // The server accepted it: it must have been answered, and answered 200.
                    accepted++;
                    Assert.True(visit.StoppingWhenAnswered is not null, $"Request {id} reached the server and was never answered by it.");
                    Assert.True(answer.Status == 200, $"Request {id} reached the server and ended with {answer}.");
                }
                else
                {
                    string? refusal = Refusal(answer);
                    Assert.True(refusal is not null, $"Request {id} never reached the server and ended with {answer}, not a refusal.");
                    refusals.Add(refusal);
                }
            }
            // ... with its own vectors.
            foreach (var (id, request, answer) in requests.Where(r => r.Answer.Status == 200))
            {
                var expected = model.Embed(request.Texts, request.Options);
                var vectors = request.Vectors(Json.Required(answer.Body), expected);
                Assert.Equal(request.Texts.Length, vectors.Length);
                for (int i = 0; i < vectors.Length; i++) VectorAssert.Close(expected[i].Span, vectors[i], $"request {id} text {i}");
            }
            var visits = tracker.Visits.Values.ToArray();
            int inFlight = visits.Count(v => !v.StoppingOnArrival && v.StoppingWhenAnswered == true);
            int arrivedWhileStopping = visits.Count(v => v.StoppingOnArrival);
            output.WriteLine($"{requests.Length} requests: {accepted} accepted and answered 200 ({inFlight} of them in flight when the stop began, " +
                $"{arrivedWhileStopping} arriving after it), {refusals.Count} refused (" +
                string.Join(", ", refusals.CountBy(kind => kind).Select(kind => $"{kind.Value} {kind.Key}")) + $"); the host stopped in {stopTime.TotalMilliseconds:F0} ms.");

            Assert.True(inFlight >= held, $"Only {inFlight} requests were in flight when the stop began; {held} were held for it.");
            Assert.Equal(clients, refusals.Count); // each client was refused once, and then stopped sending
            Assert.Equal(visits.Length, accepted); // no request reached the server that its client did not send
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [FixtureFact]
    public async Task Mixed_load_on_embed_all_embed_sparse_and_tokenize_answers_each_request_its_own_result()
    {
        const int clients = 48, requestsPerClient = 4;
        await using var dense = await RunningServer.StartAsync(Bert, BoundedQueue);
        await using var sparse = await RunningServer.StartAsync(Splade, BoundedQueue);
        var denseModel = dense.App.Services.GetRequiredService<Embedder>();
        var sparseModel = sparse.App.Services.GetRequiredService<Embedder>();
        var plan = Enumerable.Range(0, clients).Select(c => Enumerable.Range(0, requestsPerClient).Select(r => MixedRequest.For(c, r)).ToArray()).ToArray();

        var attempts = await RunClientsAsync(plan, request => (request.OnSparseServer ? sparse.Address : dense.Address, request.Path, request.Body));

        var tally = new Dictionary<(string, int), int>();
        for (int c = 0; c < clients; c++)
        {
            for (int r = 0; r < requestsPerClient; r++)
            {
                var request = plan[c][r];
                var model = request.OnSparseServer ? sparseModel : denseModel;
                for (int a = 0; a < attempts[c][r].Length; a++)
                {
                    var answer = attempts[c][r][a];
                    string what = $"client {c} request {r} attempt {a} ({request.Route})";
                    Assert.True(answer.Error is null, $"{what} got no answer: {answer}");
                    var body = Json.Required(answer.Body);
                    tally[(request.Route.ToString(), answer.Status!.Value)] = tally.GetValueOrDefault((request.Route.ToString(), answer.Status.Value)) + 1;
                    if (answer.Status == 429 && request.Queued)
                    {
                        var refusal = Overloaded.Parse(Overloaded.Message(body, openAi: false));
                        Assert.Equal(QueueBound, refusal.Limit);
                        Assert.Equal(request.Texts.Sum(text => model.Tokenizer.Encode(text).Length), refusal.Requested);
                        Assert.True(refusal.Held <= QueueBound, $"{what}: refused while the queue held {refusal.Held} tokens, over its bound {QueueBound}.");
                        Assert.True(refusal.Held + refusal.Requested > QueueBound,
                            $"{what}: refused although its {refusal.Requested} tokens fitted beside the {refusal.Held} held.");
                        continue;
                    }
                    Assert.True(answer.Status == 200, $"{what} was answered {answer.Status}: {body}");
                    var results = body.EnumerateArray().ToArray();
                    Assert.Equal(request.Texts.Length, results.Length);
                    switch (request.Route)
                    {
                        case MixedRoute.EmbedAll:
                            var tokens = model.EmbedTokens(request.Texts, new TokenEmbeddingOptions { Truncation = OverlongInputPolicy.Truncate });
                            for (int i = 0; i < results.Length; i++)
                            {
                                var rows = Json.FloatRows(results[i]);
                                Assert.Equal(tokens[i].Count, rows.Length);
                                for (int t = 0; t < rows.Length; t++) VectorAssert.Close(tokens[i][t].Span, rows[t], $"{what} text {i} token {t}");
                            }
                            break;
                        case MixedRoute.EmbedSparse:
                            var vectors = model.EmbedSparse(request.Texts, new SparseEmbeddingOptions { Truncation = OverlongInputPolicy.Truncate });
                            for (int i = 0; i < results.Length; i++)
                            {
                                var entries = results[i].EnumerateArray().ToArray();
                                Assert.Equal(vectors[i].Indices, entries.Select(e => e.GetProperty("index").GetInt32()));
                                VectorAssert.Close(vectors[i].Values.ToArray(), entries.Select(e => e.GetProperty("value").GetSingle()).ToArray(), $"{what} text {i}");
                            }
                            break;
                        default:
                            for (int i = 0; i < results.Length; i++)
                            {
                                var encoding = model.Tokenizer.Encode(request.Texts[i], new EncodeOptions { AddSpecialTokens = request.AddSpecialTokens });
                                var answered = results[i].EnumerateArray().ToArray();
                                Assert.Equal(encoding.Ids.ToArray(), answered.Select(token => token.GetProperty("id").GetInt32()));
                                Assert.Equal(encoding.SpecialTokensMask.ToArray().Select(mask => mask != 0), answered.Select(token => token.GetProperty("special").GetBoolean()));
                            }
                            break;
                    }
                }
            }
        }
        output.WriteLine(string.Join("; ", tally.OrderBy(t => t.Key).Select(t => $"{t.Key.Item1} {t.Key.Item2}: {t.Value}")));

        foreach (var route in Enum.GetValues<MixedRoute>())
            Assert.True(tally.GetValueOrDefault((route.ToString(), 200)) > 0, $"No {route} request was served.");
        Assert.DoesNotContain(tally.Keys, key => key.Item2 == 429 && key.Item1.EndsWith("Tokenize", StringComparison.Ordinal)); // tokenizing never queues
        Assert.Equal(0, denseModel.QueuedTokens);
        Assert.Equal(0, sparseModel.QueuedTokens);
    }

    /// <summary>
    /// How a request the server never started may end once the stop has begun: the listener is closed (the connection
    /// is refused); the server answers 503; or the request was sent on a kept-alive connection just as the server
    /// closed it between requests, and the client sees the connection end without an answer. That last is HTTP/1.1's
    /// own race on persistent connections; the request never reached the application (the test checks this with
    /// <see cref="RequestTracker"/>), so a client may safely send it again elsewhere.
    /// </summary>
    private static string? Refusal(Answer answer)
    {
        if (answer.Status == 503) return "503";
        if (answer.Error is HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded }) return "connection closed unanswered";
        for (var error = answer.Error; error is not null; error = error.InnerException)
        {
            if (error is SocketException { SocketErrorCode: SocketError.ConnectionRefused }) return "connection refused";
            // The same keep-alive race as ResponseEnded: when the request's bytes were already in the server's socket as
            // it closed, the kernel answers with a reset instead of an orderly close.
            if (error is SocketException { SocketErrorCode: SocketError.ConnectionReset }) return "connection closed unanswered";
        }
        return null;
    }

    /// <summary>
    /// Every client starts at the same moment and sends its requests one after another, on its own connection to each
    /// server; a request refused with 429 is sent again after a short pause, as TEI's and OpenAI's clients do, up to
    /// <paramref name="maxAttempts"/> times.
    /// </summary>
    /// <returns>Per client, per request, every attempt's answer.</returns>
    private static async Task<Answer[][][]> RunClientsAsync<TRequest>(TRequest[][] plan, Func<TRequest, (Uri Server, string Path, object Body)> send,
        int maxAttempts = 50)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clients = plan.Select(async (requests, c) =>
        {
            var connections = new Dictionary<Uri, LoadClient>();
            try
            {
                var pause = new Random(c);
                await start.Task;
                var attempts = new Answer[requests.Length][];
                for (int r = 0; r < requests.Length; r++)
                {
                    var (server, path, body) = send(requests[r]);
                    if (!connections.TryGetValue(server, out var client)) connections[server] = client = new LoadClient(server, HangLimit);
                    var tries = new List<Answer>();
                    do
                    {
                        if (tries.Count > 0) await Task.Delay(pause.Next(1, 6));
                        tries.Add(await client.PostAsync(path, body));
                    }
                    while (tries[^1].Status == 429 && tries.Count < maxAttempts);
                    attempts[r] = tries.ToArray();
                }
                return attempts;
            }
            finally
            {
                foreach (var connection in connections.Values) connection.Dispose();
            }
        }).ToArray();
        start.SetResult();
        return await Task.WhenAll(clients);
    }

    private static Task<Answer[][][]> RunClientsAsync(Uri server, DenseRequest[][] plan) =>
        RunClientsAsync(plan, request => (server, request.Path, request.Body));

    private static DenseRequest[][] Plan(int clients, int requestsPerClient, int firstClient = 0) =>
        Enumerable.Range(firstClient, clients).Select(c => Enumerable.Range(0, requestsPerClient).Select(r => DenseRequest.For(c, r)).ToArray()).ToArray();

    private static void AssertFarApart(List<float[]> vectors, string kind)
    {
        float closest = float.MaxValue;
        for (int a = 0; a < vectors.Count; a++)
            for (int b = a + 1; b < vectors.Count; b++)
                closest = Math.Min(closest, vectors[a].Zip(vectors[b], (x, y) => Math.Abs(x - y)).Max());
        Assert.True(closest > 100 * VectorAssert.Tolerance, $"{kind}: two different texts have vectors within {closest:E2} of each other.");
    }
}
