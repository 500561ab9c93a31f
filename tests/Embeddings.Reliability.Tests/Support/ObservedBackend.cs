using Embeddings.Inference;

namespace Embeddings.Reliability.Tests.Support;

/// <summary>
/// Wraps a real backend to watch and steer the library from below: counts runs, signals when one starts, can
/// hold runs at a gate, and can run an action (such as cancelling the caller) before a given run.
/// </summary>
internal sealed class ObservedBackend(IInferenceBackend inner) : IInferenceBackend
{
    private int _runs;

    /// <summary>Runs started so far.</summary>
    public int Runs => Volatile.Read(ref _runs);

    /// <summary>Set when a run starts.</summary>
    public ManualResetEventSlim RunStarted { get; } = new();

    /// <summary>When set, runs wait here until it is opened.</summary>
    public ManualResetEventSlim? Gate { get; init; }

    /// <summary>Called with the run's number (1 for the first) before the run is passed on.</summary>
    public Action<int>? BeforeRun { get; init; }

    public ModelSignature Signature => inner.Signature;

    public InferenceOutput Run(InferenceBatch batch, string outputName, CancellationToken cancellationToken = default)
    {
        int number = Interlocked.Increment(ref _runs);
        RunStarted.Set();
        Gate?.Wait(CancellationToken.None);
        BeforeRun?.Invoke(number);
        return inner.Run(batch, outputName, cancellationToken);
    }

    public void Dispose()
    {
        inner.Dispose();
        RunStarted.Dispose();
    }
}
