namespace Embeddings.Server.Http;

/// <summary>
/// Endpoint filters that answer failures in the shape each API's clients expect: TEI's
/// <c>{"error", "error_type"}</c>, or OpenAI's <c>{"error": {"message", "type", "code"}}</c>.
/// </summary>
internal static class ErrorResponses
{
    private sealed record TeiError(string Error, string ErrorType);

    private sealed record OpenAiErrorBody(string Message, string Type, int Code);

    private sealed record OpenAiError(OpenAiErrorBody Error);

    /// <summary>Answers failures as TEI does.</summary>
    public static ValueTask<object?> Tei(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Guard(context, next, error => Results.Json(new TeiError(error.Message, error.ErrorType), statusCode: error.StatusCode));

    /// <summary>Answers failures as the OpenAI API does.</summary>
    public static ValueTask<object?> OpenAi(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Guard(context, next, error => Results.Json(new OpenAiError(new OpenAiErrorBody(error.Message, error.ErrorType, error.StatusCode)), statusCode: error.StatusCode));

    private static async ValueTask<object?> Guard(EndpointFilterInvocationContext context, EndpointFilterDelegate next, Func<ApiException, IResult> answer)
    {
        var http = context.HttpContext;
        try
        {
            return await next(context);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && http.RequestAborted.IsCancellationRequested)
        {
            // The client went away (possibly mid-body); nobody is left to answer, and it is no server error.
            return Results.Empty;
        }
        catch (Exception e)
        {
            var error = ErrorTranslation.Translate(e);
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Embeddings.Server");
            if (error.StatusCode >= StatusCodes.Status500InternalServerError)
                ServerLog.RequestFailed(logger, e, http.Request.Path, error.StatusCode);
            else
                ServerLog.RequestRefused(logger, http.Request.Path, error.StatusCode, error.ErrorType, error.Message);
            return answer(error);
        }
    }
}
