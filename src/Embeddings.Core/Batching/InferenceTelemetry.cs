using System.Diagnostics;
using Embeddings.Diagnostics;

namespace Embeddings.Batching;

/// <summary>
/// What one backend run reports: an <c>embeddings.inference</c> activity tagged with the batch's shape while it runs,
/// then its duration, size and padded tokens as metrics. Dispose when the run has returned.
/// </summary>
internal readonly struct InferenceTelemetry : IDisposable
{
    private readonly Activity? _activity;
    private readonly long _started;
    private readonly int _count;
    private readonly int _paddedTokens;

    private InferenceTelemetry(Activity? activity, int count, int paddedTokens)
    {
        _activity = activity;
        _started = Stopwatch.GetTimestamp();
        _count = count;
        _paddedTokens = paddedTokens;
    }

    /// <summary>Starts measuring a run of <paramref name="count"/> sequences padded to <paramref name="length"/>.</summary>
    public static InferenceTelemetry Start(int count, int length)
    {
        var activity = EmbeddingsTelemetry.ActivitySource.StartActivity("embeddings.inference");
        activity?.SetTag("embeddings.batch.size", count);
        activity?.SetTag("embeddings.batch.sequence_length", length);
        return new InferenceTelemetry(activity, count, count * length);
    }

    /// <summary>Records the run as finished.</summary>
    public void Succeeded()
    {
        EmbeddingsTelemetry.InferenceDuration.Record(Stopwatch.GetElapsedTime(_started).TotalMilliseconds);
        EmbeddingsTelemetry.BatchSize.Record(_count);
        EmbeddingsTelemetry.BatchPaddedTokens.Record(_paddedTokens);
    }

    public void Dispose() => _activity?.Dispose();
}
