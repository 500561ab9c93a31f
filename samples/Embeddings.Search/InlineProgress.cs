namespace Embeddings.Search;

/// <summary>
/// Progress reported on the reporting thread, as it happens. (<see cref="Progress{T}"/> posts to the thread pool, so a
/// late report could move the bar back after the work is done.) Spectre's progress tasks accept updates from any thread.
/// </summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
