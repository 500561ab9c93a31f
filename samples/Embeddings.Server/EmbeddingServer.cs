using System.Text.Json;
using Embeddings.Server.Hosting;
using Embeddings.Server.Metrics;
using Embeddings.Server.OpenApi;
using Embeddings.Server.Routes;
using Microsoft.AspNetCore.Hosting;

namespace Embeddings.Server;

/// <summary>Builds the server: configuration, the embedder (with the micro-batching queue) and the routes.</summary>
internal static class EmbeddingServer
{
    /// <summary>Builds the application from command-line arguments.</summary>
    /// <param name="args">ASP.NET arguments plus the server's own (see <see cref="ServerSettings"/>).</param>
    /// <param name="configureServices">Last word on the services (tests replace the embedder through it).</param>
    /// <exception cref="ServerConfigurationException">A setting is malformed.</exception>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        // appsettings.json (log levels) sits beside the program, wherever it is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        bool addressesGiven = new[] { WebHostDefaults.ServerUrlsKey, WebHostDefaults.HttpPortsKey, WebHostDefaults.HttpsPortsKey }
            .Any(key => !string.IsNullOrEmpty(builder.Configuration[key]));
        // Loopback unless told otherwise: the server has no authentication.
        if (!addressesGiven) builder.WebHost.UseUrls(ServerSettings.DefaultUrls);

        var settings = ServerSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddEmbedder(settings.Apply);
        RerankRoutes.AddServices(builder.Services);
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        MetricsEndpoint.AddServerMetrics(builder.Services);
        ApiDocument.AddApiDocument(builder.Services);
        LoadErrorLogging.Quieten(builder.Logging, builder.Configuration);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        ErrorBodies.UseForStatusCodes(app);
        ApiKeyAuthentication.Use(app, settings);
        MetricsEndpoint.Use(app);
        ApiDocument.Map(app);
        TeiRoutes.Map(app);
        OpenAiRoutes.Map(app);
        RerankRoutes.Map(app);
        MultiVectorRoutes.Map(app);
        return app;
    }
}
