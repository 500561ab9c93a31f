using Embeddings.Onnx;

namespace Embeddings.Server.Http;

/// <summary>Turns what a route throws into the status and TEI error type the client gets.</summary>
internal static class ErrorTranslation
{
    /// <summary>The answer for <paramref name="exception"/>; anything unexpected is a 500 whose cause goes to the log.</summary>
    public static ApiException Translate(Exception exception) => exception switch
    {
        ApiException known => known,
        // Kestrel's own request errors (a body over MaxRequestBodySize: 413; a stalled body: 408; a malformed or cut-off
        // body: 400) keep the status Kestrel meant; they are the client's doing, so they are logged at Debug, not as 500s.
        BadHttpRequestException bad => new ApiException(bad.StatusCode, "Validation", bad.Message),
        EmbeddingQueueFullException => new ApiException(StatusCodes.Status429TooManyRequests, "Overloaded", exception.Message),
        // TEI answers an input over the model's limit (with truncation off) 422, as it does other validation errors.
        InputTooLongException tooLong => ApiException.Validation(
            $"Input {tooLong.Index} is {tooLong.TokenCount} tokens long; the model accepts at most {tooLong.MaxTokens}. " +
            "Shorten it, or let the server cut it (\"truncate\": true, or start the server with --auto-truncate true)."),
        // Unknown prompt names, dimensions beyond the model's: the request asked for something the model cannot give.
        ArgumentException => ApiException.Validation(exception.Message),
        // The model cannot do this (e.g. sparse vectors from a dense model): TEI's 424 Failed Dependency.
        NotSupportedException or OnnxRuntimeException => new ApiException(StatusCodes.Status424FailedDependency, "Backend", exception.Message),
        ObjectDisposedException => new ApiException(StatusCodes.Status503ServiceUnavailable, "Unhealthy", "The server is shutting down."),
        _ => new ApiException(StatusCodes.Status500InternalServerError, "Backend", "Internal error; see the server log."),
    };
}
