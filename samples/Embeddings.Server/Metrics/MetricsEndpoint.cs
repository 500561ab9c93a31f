using Microsoft.AspNetCore.Routing;

namespace Embeddings.Server.Metrics;

/// <summary>Counts and times requests per route, and serves the Prometheus text exposition at GET /metrics.</summary>
internal static class MetricsEndpoint
{
    /// <summary>The route Prometheus scrapes.</summary>
    public const string Path = "/metrics";

    /// <summary>Registers the server's metrics (one registry per server).</summary>
    public static void AddServerMetrics(IServiceCollection services) =>
        services.AddSingleton(provider => new ServerMetrics(() => provider.GetService<Embedder>()?.QueuedTokens ?? 0));

    /// <summary>Adds the request counting (after routing, so the route template labels the request) and maps /metrics.</summary>
    public static void Use(WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<ServerMetrics>();
        app.Use(async (context, next) =>
        {
            // Only requests that reached one of the API's routes are counted: scrapes, probes and stray paths are not work.
            string? route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
            if (route is null || route is Path or "/health" || context.Request.Method == HttpMethods.Get && route.StartsWith("/openapi", StringComparison.Ordinal))
            {
                await next(context);
                return;
            }
            metrics.RequestCount.WithLabels(route).Inc();
            metrics.QueueSize.Inc();
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                metrics.QueueSize.Dec();
                metrics.RequestDuration.WithLabels(route).Observe(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
                int status = context.Response.StatusCode;
                if (status < 400) metrics.RequestSuccess.WithLabels(route).Inc();
                else metrics.RequestFailure.WithLabels(route, status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
            }
        });
        app.MapGet(Path, async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        }).ExcludeFromDescription();
    }
}
