using Embeddings.Hub;

namespace Embeddings.Hub.Tests.Fakes;

/// <summary>Keeps every report in order, synchronously (unlike <see cref="Progress{T}"/>, which posts them later).</summary>
internal sealed class RecordingProgress(Action<HubDownloadProgress>? onReport = null) : IProgress<HubDownloadProgress>
{
    private readonly List<HubDownloadProgress> _reports = [];

    public IReadOnlyList<HubDownloadProgress> Reports
    {
        get
        {
            lock (_reports) return [.. _reports];
        }
    }

    public void Report(HubDownloadProgress value)
    {
        lock (_reports) _reports.Add(value);
        onReport?.Invoke(value);
    }
}
