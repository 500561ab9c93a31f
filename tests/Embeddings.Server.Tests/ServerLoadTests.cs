using System.Diagnostics;
using System.Net.Sockets;
using Embeddings.Server.Tests.Support;
using Embeddings.TestModels;
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

    /// <summary>Two or three requests of one to three texts (11–43 tokens) fit: with dozens of clients, most are refused.</summary>
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
    /// Every client starts at the same moment and sends its requests one after another; a request refused with 429
    /// is sent again after a short pause, as TEI's and OpenAI's clients do, up to <paramref name="maxAttempts"/> times.
    /// </summary>
    /// <returns>Per client, per request, every attempt's answer.</returns>
    private static async Task<Answer[][][]> RunClientsAsync(Uri address, DenseRequest[][] plan, int maxAttempts = 50)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clients = plan.Select(async (requests, c) =>
        {
            using var client = new LoadClient(address, HangLimit);
            var pause = new Random(c);
            await start.Task;
            var attempts = new Answer[requests.Length][];
            for (int r = 0; r < requests.Length; r++)
            {
                var tries = new List<Answer>();
                do
                {
                    if (tries.Count > 0) await Task.Delay(pause.Next(1, 6));
                    tries.Add(await client.PostAsync(requests[r].Path, requests[r].Body));
                }
                while (tries[^1].Status == 429 && tries.Count < maxAttempts);
                attempts[r] = tries.ToArray();
            }
            return attempts;
        }).ToArray();
        start.SetResult();
        return await Task.WhenAll(clients);
    }

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
