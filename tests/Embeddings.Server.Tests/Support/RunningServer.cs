using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Embeddings.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Embeddings.Server.Tests.Support;

/// <summary>The server sample, built the way its Program builds it and listening on a free loopback port.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private RunningServer(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
        Http = new HttpClient { BaseAddress = address };
    }

    public WebApplication App { get; }

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri Address { get; }

    public HttpClient Http { get; }

    /// <summary>Starts a server for a model folder, with extra command-line settings and a last word on its services.</summary>
    public static async Task<RunningServer> StartAsync(string modelDir, string[]? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        string[] args = ["--model", modelDir, "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", .. settings ?? []];
        var app = EmbeddingServer.Build(args, configureServices);
        app.Services.GetRequiredService<IEmbedder>(); // loaded before listening, as Program does
        await app.StartAsync();
        string bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new RunningServer(app, new Uri(bound.TrimEnd('/') + "/"));
    }

    /// <summary>POSTs a JSON text and returns the status and the parsed answer (null when there is no body).</summary>
    public async Task<(int Status, JsonElement? Body)> PostAsync(string path, string json)
    {
        using var response = await Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        return ((int)response.StatusCode, await ReadAsync(response));
    }

    /// <summary>POSTs an object serialized as JSON.</summary>
    public async Task<(int Status, JsonElement? Body)> PostAsync(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(path, body);
        return ((int)response.StatusCode, await ReadAsync(response));
    }

    /// <summary>GETs a route.</summary>
    public async Task<(int Status, JsonElement? Body)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return ((int)response.StatusCode, await ReadAsync(response));
    }

    private static async Task<JsonElement?> ReadAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
