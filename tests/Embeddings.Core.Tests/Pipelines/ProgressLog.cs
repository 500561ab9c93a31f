using System.Collections.Concurrent;

namespace Embeddings.Core.Tests.Pipelines;

/// <summary>Collects progress reports as they are made (unlike <see cref="Progress{T}"/>, which posts them).</summary>
internal sealed class ProgressLog : IProgress<EmbeddingProgress>
{
    private readonly ConcurrentQueue<EmbeddingProgress> _reports = new();

    public IReadOnlyList<EmbeddingProgress> Reports => _reports.ToArray();

    public void Report(EmbeddingProgress value) => _reports.Enqueue(value);
}
