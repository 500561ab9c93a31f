namespace Embeddings.Onnx;

/// <summary>
/// An execution provider (such as CUDA) was asked for and cannot run here. <see cref="Missing"/> says what
/// is missing: a build of ONNX Runtime with the provider, a shared library it needs, or the device.
/// </summary>
public sealed class ExecutionProviderUnavailableException : NotSupportedException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="provider">The provider asked for, e.g. CUDAExecutionProvider.</param>
    /// <param name="deviceId">The device asked for.</param>
    /// <param name="missing">What is missing, in words.</param>
    /// <param name="message">The full explanation.</param>
    /// <param name="innerException">ONNX Runtime's own failure, if there was one.</param>
    public ExecutionProviderUnavailableException(string provider, int deviceId, string missing, string message, Exception? innerException)
        : base(message, innerException)
    {
        Provider = provider;
        DeviceId = deviceId;
        Missing = missing;
    }

    /// <summary>The provider asked for, e.g. CUDAExecutionProvider.</summary>
    public string Provider { get; }

    /// <summary>The device asked for.</summary>
    public int DeviceId { get; }

    /// <summary>What is missing, in words.</summary>
    public string Missing { get; }
}
