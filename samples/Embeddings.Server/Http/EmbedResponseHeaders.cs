using System.Globalization;

namespace Embeddings.Server.Http;

/// <summary>
/// What /embed's JSON body (TEI's bare list of vectors) has no room for, in response headers a TEI client ignores:
/// each input's token count (<c>x-token-counts: 5,9</c>) and the inputs that were cut (<c>x-truncated-inputs: 1</c>),
/// so a remote client reports the same <see cref="EmbeddingResult"/> as the library in process.
/// </summary>
internal static class EmbedResponseHeaders
{
    /// <summary>Adds the headers for <paramref name="result"/>.</summary>
    public static void Write(HttpResponse response, EmbeddingResult result)
    {
        response.Headers["x-token-counts"] = string.Join(',', result.TokenCounts.Select(count => count.ToString(CultureInfo.InvariantCulture)));
        response.Headers["x-truncated-inputs"] = string.Join(',', result.TruncatedIndexes.Select(index => index.ToString(CultureInfo.InvariantCulture)));
        response.Headers["x-total-tokens"] = result.TotalTokens.ToString(CultureInfo.InvariantCulture);
    }
}
