using Microsoft.ML.OnnxRuntime;

namespace Embeddings.Onnx.Runtime;

/// <summary>
/// One <see cref="InferenceSession"/> shared by concurrent runs, released exactly once: after it was closed
/// and the last run (and the last output still viewing the runtime's memory) let go of it.
/// </summary>
/// <remarks>
/// ONNX Runtime allows concurrent <c>Run</c> calls on one session, but disposing the session while a run or
/// an output still uses it would free memory under them. Each run takes a lease with <see cref="TryAcquire"/>
/// and gives it back with <see cref="Release"/>; <see cref="Close"/> refuses new leases at once.
/// </remarks>
internal sealed class SharedSession
{
    // Leases held, plus one for the owner until Close. The session is disposed when this reaches zero.
    private int _references = 1;
    private int _closed;

    public SharedSession(InferenceSession session) => Session = session;

    /// <summary>The session; use it only while holding a lease.</summary>
    public InferenceSession Session { get; }

    /// <summary>Takes a lease; false once <see cref="Close"/> has run.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            int current = Volatile.Read(ref _references);
            if (current == 0 || Volatile.Read(ref _closed) != 0) return false;
            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current) return true;
        }
    }

    /// <summary>Gives a lease back; the last one out disposes the session.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0) Session.Dispose();
    }

    /// <summary>Refuses new leases and drops the owner's reference. Safe to call more than once.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0) Release();
    }
}
