using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Embeddings.Remote.Tests.Support;

/// <summary>
/// A TEI-shaped server whose /embed answers come from a script (status codes, delays), for the client's retries,
/// timeouts and errors. /info describes a 2-dimensional model with max_client_batch_size 4 (without "dimensions",
/// as TEI's /info, when asked); a 200 answers [[1,0],…].
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _embedCalls;

    private ScriptedServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>/embed requests received so far.</summary>
    public int EmbedCalls => Volatile.Read(ref _embedCalls);

    /// <summary>Starts a server whose n-th /embed request (from 0) is answered by <paramref name="answer"/>.</summary>
    public static async Task<ScriptedServer> StartAsync(Func<int, HttpContext, Task<IResult>> answer, bool reportDimensions = true)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ScriptedServer? server = null;
        app.MapGet("/info", () => Results.Json(new Dictionary<string, object>
        {
            ["model_id"] = "scripted", ["model_type"] = new { embedding = new { pooling = "mean" } },
            ["max_input_length"] = 16, ["max_client_batch_size"] = 4, ["dimensions"] = 2,
        }.Where(field => reportDimensions || field.Key != "dimensions").ToDictionary()));
        app.MapPost("/embed", async (HttpContext context) =>
        {
            int call = Interlocked.Increment(ref server!._embedCalls) - 1;
            return await answer(call, context);
        });
        await app.StartAsync();
        string bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server = new ScriptedServer(app, new Uri(bound.TrimEnd('/') + "/"));
        return server;
    }

    /// <summary>A successful answer for a request of <paramref name="count"/> inputs.</summary>
    public static IResult Vectors(int count) => Results.Json(Enumerable.Range(0, count).Select(_ => new[] { 1f, 0f }).ToArray());

    /// <summary>An error answer in TEI's shape.</summary>
    public static IResult Error(int status, string type, string message) =>
        Results.Json(new Dictionary<string, string> { ["error"] = message, ["error_type"] = type }, statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
