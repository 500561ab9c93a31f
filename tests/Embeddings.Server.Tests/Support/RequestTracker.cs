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
/// routes), by the id its client put in the <see cref="Header"/> header: the requests the server accepted. On request
/// it also holds the next few arrivals at the door until the host begins stopping, so a test can be sure requests are
/// in flight when the stop comes; they then go on to the real routes, embedder and queue.
/// </summary>
internal sealed class RequestTracker : IStartupFilter
{
    public const string Header = "X-Load-Request";

    private readonly ConcurrentDictionary<string, Visit> _visits = new();
    private int _toHold;
    private TaskCompletionSource _allHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The requests that reached the application, by id.</summary>
    public IReadOnlyDictionary<string, Visit> Visits => _visits;

    /// <summary>Holds the next <paramref name="count"/> requests to arrive until the host begins stopping.</summary>
    /// <returns>Completes when all of them are being held.</returns>
    public Task HoldArrivalsUntilStoppingAsync(int count)
    {
        _allHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _toHold, count);
        return _allHeld.Task;
    }

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
            if (TakeHoldPlace(out bool last))
            {
                if (last) _allHeld.TrySetResult();
                var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                using (stopping.Register(() => stopped.TrySetResult())) await stopped.Task;
            }
            await route(context);
            _visits[id] = new Visit(stoppingOnArrival, stopping.IsCancellationRequested);
        });
        next(app);
    };

    private bool TakeHoldPlace(out bool last)
    {
        int left;
        do
        {
            left = Volatile.Read(ref _toHold);
            last = left == 1;
            if (left == 0) return false;
        }
        while (Interlocked.CompareExchange(ref _toHold, left - 1, left) != left);
        return true;
    }
}
