using System.Text.Json;

namespace Embeddings.Server.Hosting;

/// <summary>
/// TEI's error shape (<c>{"error": ..., "error_type": ...}</c>) for answers made outside the routes: unknown paths
/// (404), wrong methods (405) and refused credentials (401), so a client parses every failure the same way.
/// </summary>
internal static class ErrorBodies
{
    private sealed record TeiError(string Error, string ErrorType);

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Writes the error body; the status code is already set.</summary>
    public static Task WriteAsync(HttpContext context, string errorType, string message) =>
        context.Response.WriteAsJsonAsync(new TeiError(message, errorType), Json, context.RequestAborted);

    /// <summary>Gives bodiless 404 and 405 answers (routing's own) a TEI-shaped body naming the method and path.</summary>
    public static void UseForStatusCodes(WebApplication app) => app.UseStatusCodePages(async pages =>
    {
        var context = pages.HttpContext;
        string route = $"{context.Request.Method} {context.Request.Path}";
        switch (context.Response.StatusCode)
        {
            case StatusCodes.Status404NotFound:
                await WriteAsync(context, "NotFound", $"No route {route}; see /docs for the routes this server serves.");
                break;
            case StatusCodes.Status405MethodNotAllowed:
                string allowed = context.Response.Headers.Allow.ToString();
                await WriteAsync(context, "MethodNotAllowed",
                    allowed.Length == 0 ? $"{route} is not allowed." : $"{route} is not allowed; this route takes {allowed}.");
                break;
        }
    });
}
