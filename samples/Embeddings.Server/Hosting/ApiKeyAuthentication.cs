using System.Security.Cryptography;
using System.Text;

namespace Embeddings.Server.Hosting;

/// <summary>
/// TEI's <c>--api-key</c>: every request must carry <c>Authorization: Bearer KEY</c>, except the routes a balancer,
/// a scraper or a reader of the docs needs without credentials (/health, /metrics, the OpenAPI document, /docs).
/// A missing or wrong key is answered 401 in TEI's error shape.
/// </summary>
internal static class ApiKeyAuthentication
{
    private static readonly string[] OpenPrefixes = ["/health", "/metrics", "/openapi", "/docs"];

    /// <summary>Adds the check when <see cref="ServerSettings.ApiKey"/> is set; otherwise does nothing.</summary>
    public static void Use(WebApplication app, ServerSettings settings)
    {
        if (settings.ApiKey is not { } key) return;
        byte[] expected = Encoding.UTF8.GetBytes("Bearer " + key);
        app.Use(async (context, next) =>
        {
            if (IsOpen(context.Request.Path) || Authorized(context.Request.Headers.Authorization.ToString(), expected))
            {
                await next(context);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ErrorBodies.WriteAsync(context, "Unauthorized", "A valid API key is required: send \"Authorization: Bearer KEY\".");
        });
    }

    private static bool IsOpen(PathString path) =>
        OpenPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));

    // Constant-time over the key's length, so response timing does not reveal how much of a guess was right.
    private static bool Authorized(string header, byte[] expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header), expected);
}
