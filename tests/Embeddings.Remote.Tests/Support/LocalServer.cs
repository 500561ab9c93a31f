using Embeddings.Server;
using Embeddings.Server.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Embeddings.Remote.Tests.Support;

/// <summary>The server sample in this process, built as its Program builds it, on a free loopback port.</summary>
internal sealed class LocalServer : IAsyncDisposable
{
    private LocalServer(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
    }

    public WebApplication App { get; }

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri Address { get; }

    /// <summary>The model the server runs, called directly.</summary>
    public Embedder Model => App.Services.GetRequiredService<Embedder>();

    /// <summary>Requests this server counted on a route (its own te_request_count).</summary>
    public double RequestsOn(string route) => App.Services.GetRequiredService<ServerMetrics>().RequestCount.WithLabels(route).Value;

    public static async Task<LocalServer> StartAsync(string modelDir, params string[] settings)
    {
        string[] args = ["--model", modelDir, "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", .. settings];
        var app = EmbeddingServer.Build(args);
        app.Services.GetRequiredService<IEmbedder>();
        await app.StartAsync();
        string bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new LocalServer(app, new Uri(bound.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
