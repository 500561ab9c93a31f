using System.Net.Http.Json;
using System.Text.Json;

namespace Embeddings.Server.Tests.Support;

/// <summary>What one request ended with: a status and body, or the exception the client saw instead.</summary>
internal sealed record Answer(int? Status, JsonElement? Body, Exception? Error)
{
    public override string ToString() => Error is null ? $"HTTP {Status}" : $"{Error.GetType().Name}: {Error.Message}";
}

/// <summary>
/// One client of a load test, with its own <see cref="HttpClient"/> and so its own connection to the server, as
/// separate client processes would have. Never throws: whatever a request ends with is its <see cref="Answer"/>.
/// </summary>
internal sealed class LoadClient : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="address">The server.</param>
    /// <param name="timeout">How long one request may take before it counts as hung.</param>
    public LoadClient(Uri address, TimeSpan timeout) =>
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = address, Timeout = timeout };

    /// <summary>POSTs <paramref name="body"/> as JSON, with extra request headers.</summary>
    public async Task<Answer> PostAsync(string path, object body, IReadOnlyDictionary<string, string>? headers = null)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.Add(name, value);
            using var response = await _http.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            return new Answer((int)response.StatusCode, text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.Clone(), null);
        }
        catch (Exception e)
        {
            // The test judges every failure (a timeout, a refused or broken connection, a malformed body).
            return new Answer(null, null, e);
        }
    }

    public void Dispose() => _http.Dispose();
}
