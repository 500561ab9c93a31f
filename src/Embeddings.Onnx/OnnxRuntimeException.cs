namespace Embeddings.Onnx;

/// <summary>A failure reported by ONNX Runtime itself (an <c>OrtStatus</c>), with its error code.</summary>
public class OnnxRuntimeException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">The code ONNX Runtime reported.</param>
    /// <param name="message">What went wrong.</param>
    public OnnxRuntimeException(OrtErrorCode errorCode, string message)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    /// <summary>Creates the exception with the failure that caused it.</summary>
    /// <param name="errorCode">The code ONNX Runtime reported.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying failure.</param>
    public OnnxRuntimeException(OrtErrorCode errorCode, string message, Exception? innerException)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The code ONNX Runtime reported.</summary>
    public OrtErrorCode ErrorCode { get; }
}
