namespace Embeddings.Server.Http;

/// <summary>
/// A request the server refuses, with the HTTP status and TEI error type it is answered with
/// (TEI's <c>{"error": ..., "error_type": ...}</c>; the OpenAI routes wrap the same facts in OpenAI's shape).
/// </summary>
internal sealed class ApiException(int statusCode, string errorType, string message) : Exception(message)
{
    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; } = statusCode;

    /// <summary>TEI's error type: Validation, Empty, Overloaded, Backend, Tokenizer or Unhealthy.</summary>
    public string ErrorType { get; } = errorType;

    /// <summary>A malformed or unacceptable request (422).</summary>
    public static ApiException Validation(string message) => new(StatusCodes.Status422UnprocessableEntity, "Validation", message);

    /// <summary>An empty input list or an empty input (422).</summary>
    public static ApiException Empty(string message) => new(StatusCodes.Status422UnprocessableEntity, "Empty", message);

    /// <summary>A text longer than the server accepts (413).</summary>
    public static ApiException TextTooLong(int index, int length, int limit, string unit) =>
        new(StatusCodes.Status413PayloadTooLarge, "Validation", $"input {index} is {length} {unit} long; the server accepts at most {limit} characters per input");

    /// <summary>More inputs than <c>max-client-batch-size</c> allows (413).</summary>
    public static ApiException TooManyInputs(int count, int limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "Validation", $"batch size {count} > maximum allowed batch size {limit}");
}
