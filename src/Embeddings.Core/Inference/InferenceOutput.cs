namespace Embeddings.Inference;

/// <summary>
/// One model output as a float32 row-major tensor. It may view native memory owned by the runtime, so
/// read it before disposing and never keep the span past <see cref="Dispose()"/>.
/// </summary>
public abstract class InferenceOutput : IDisposable
{
    /// <summary>The tensor's dimensions, e.g. [batch, sequence, hidden].</summary>
    public abstract ReadOnlySpan<long> Shape { get; }

    /// <summary>The values, row-major; length is the product of <see cref="Shape"/>.</summary>
    public abstract ReadOnlySpan<float> Data { get; }

    /// <summary>Releases the memory behind <see cref="Data"/>.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources; called once by <see cref="Dispose()"/>.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }
}
