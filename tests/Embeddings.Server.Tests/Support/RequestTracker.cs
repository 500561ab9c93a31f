using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Embeddings.Server.Tests.Support;

/// <summary>Whether the host had begun stopping when a request reached the application, and when the application
/// had answered it (null while it has not).</summary>
internal sealed record Visit(bool StoppingOnArrival, bool? StoppingWhenAnswered);

/// <summary>
/// Notes, inside the server, every request that reached the application (the outermost middleware, ahead of the
/// routes), by the id its client put in the <see cref="Header"/> header: the requests the server accepted.
/// It observes only; the routes, the embedder and its queue are the real ones.
/// </summary>
internal sealed class RequestTracker : IStartupFilter
{
    public const string Header = "X-Load-Request";

    private readonly ConcurrentDictionary<string, Visit> _visits = new();

    /// <summary>The requests that reached the application, by id.</summary>
    public IReadOnlyDictionary<string, Visit> Visits => _visits;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var stopping = app.ApplicationServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        app.Use(async (context, route) =>
        {
            string? id = context.Request.Headers[Header];
            if (id is null)
            {
                await route(context);
                return;
            }
            bool stoppingOnArrival = stopping.IsCancellationRequested;
            _visits[id] = new Visit(stoppingOnArrival, null);
            await route(context);
            _visits[id] = new Visit(stoppingOnArrival, stopping.IsCancellationRequested);
        });
        next(app);
    };
}
