namespace Embeddings.Inference;

/// <summary>
/// Runs a transformer model on a flat batch of token ids. Runtime packages implement it (each loads the model's
/// weights from a model folder its own way); tests use small managed ones.
/// </summary>
/// <remarks>
/// Threading: <see cref="Run"/> may be called from many threads at once on one instance. Disposing
/// while a call is running is allowed; calls started after disposal throw <see cref="ObjectDisposedException"/>.
/// </remarks>
public interface IInferenceBackend : IDisposable
{
    /// <summary>What the model takes and gives, discovered when the backend was created.</summary>
    ModelSignature Signature { get; }

    /// <summary>
    /// Runs the model on <paramref name="batch"/> and returns the output named <paramref name="outputName"/>
    /// (one of <see cref="ModelSignature.Outputs"/>) as float32, row-major.
    /// </summary>
    /// <param name="batch">Caller-owned input buffers; the backend reads them only during the call.</param>
    /// <param name="outputName">The output to compute.</param>
    /// <param name="cancellationToken">Stops the run as soon as the backend can (for example between kernels).</param>
    /// <returns>The output; dispose it to release the memory it views.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled before or during the run.</exception>
    InferenceOutput Run(InferenceBatch batch, string outputName, CancellationToken cancellationToken = default);
}
