using System.Diagnostics.Metrics;
using Embeddings.Diagnostics;

namespace Embeddings.Server.Metrics;

/// <summary>
/// Feeds the library's own instruments (<see cref="EmbeddingsTelemetry"/>: batch sizes, model-run and queue times,
/// tokens per call) into the server's TEI-named Prometheus metrics, converting milliseconds to seconds.
/// </summary>
internal sealed class LibraryMetricsBridge : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ServerMetrics _metrics;

    public LibraryMetricsBridge(ServerMetrics metrics)
    {
        _metrics = metrics;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EmbeddingsTelemetry.MeterName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument.Name, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument.Name, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument.Name, value, tags));
        _listener.Start();
    }

    private void Record(string instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        switch (instrument)
        {
            case "embeddings.batch.size": _metrics.BatchSize.Observe(value); break;
            case "embeddings.batch.padded_tokens": _metrics.BatchTokens.Observe(value); break;
            case "embeddings.inference.duration": _metrics.InferenceDuration.Observe(value / 1000); break;
            case "embeddings.queue.wait": _metrics.QueueDuration.Observe(value / 1000); break;
            case "embeddings.tokens":
                // The library adds one call's tokens at once, so each measurement is one call's input length.
                _metrics.InputLength.Observe(value);
                _metrics.Tokens.WithLabels(Operation(tags)).Inc(value);
                break;
        }
    }

    private static string Operation(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
            if (tag.Key == EmbeddingsTelemetry.OperationTag) return tag.Value?.ToString() ?? "unknown";
        return "unknown";
    }

    public void Dispose() => _listener.Dispose();
}
