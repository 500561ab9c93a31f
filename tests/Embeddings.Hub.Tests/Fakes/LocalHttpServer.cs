using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Embeddings.Hub.Tests.Fakes;

/// <summary>A request as the server received it.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>What the server sends back, including the faults it can inject.</summary>
internal sealed class FakeResponse
{
    public int Status { get; init; } = 200;

    public List<KeyValuePair<string, string>> Headers { get; } = [];

    public byte[] Body { get; init; } = [];

    /// <summary>Send only this many body bytes (while announcing the full length), then close the connection.</summary>
    public int? DropAfterBytes { get; init; }

    /// <summary>Pause between body chunks, to make downloads overlap in concurrency tests.</summary>
    public TimeSpan ChunkDelay { get; init; }

    public FakeResponse With(string name, string value)
    {
        Headers.Add(new(name, value));
        return this;
    }
}

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 over <see cref="TcpListener"/>: one request per connection,
/// GET and HEAD, full control over status lines and headers, and the ability to cut a body short.
/// </summary>
internal sealed class LocalHttpServer : IAsyncDisposable
{
    private const int ChunkSize = 4096;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<RecordedRequest, FakeResponse> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    public LocalHttpServer(Func<RecordedRequest, FakeResponse> handler)
    {
        _handler = handler;
        _listener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _acceptLoop = AcceptAsync();
    }

    public Uri BaseUri { get; }

    public IReadOnlyCollection<RecordedRequest> Requests => _requests;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream);
                if (request is null) return;
                _requests.Enqueue(request);
                var response = _handler(request);
                await WriteResponseAsync(stream, request, response);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The client went away; nothing to report.
            }
        }
    }

    private async Task<RecordedRequest?> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new byte[32 * 1024];
        var length = 0;
        int end;
        while ((end = IndexOfHeaderEnd(buffer, length)) < 0)
        {
            if (length == buffer.Length) return null;
            var read = await stream.ReadAsync(buffer.AsMemory(length), _stop.Token);
            if (read == 0) return null;
            length += read;
        }
        var lines = Encoding.ASCII.GetString(buffer, 0, end).Split("\r\n");
        var requestLine = lines[0].Split(' ');
        var target = requestLine[1];
        var question = target.IndexOf('?');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return new RecordedRequest(requestLine[0],
            question < 0 ? target : target[..question],
            question < 0 ? "" : target[(question + 1)..],
            headers);
    }

    private static int IndexOfHeaderEnd(byte[] buffer, int length)
    {
        for (var i = 3; i < length; i++)
        {
            if (buffer[i - 3] == '\r' && buffer[i - 2] == '\n' && buffer[i - 1] == '\r' && buffer[i] == '\n') return i - 3;
        }
        return -1;
    }

    private async Task WriteResponseAsync(NetworkStream stream, RecordedRequest request, FakeResponse response)
    {
        var head = new StringBuilder();
        head.Append($"HTTP/1.1 {response.Status} {Reason(response.Status)}\r\n");
        foreach (var (name, value) in response.Headers) head.Append($"{name}: {value}\r\n");
        if (!response.Headers.Any(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
            head.Append($"Content-Length: {response.Body.Length}\r\n");
        head.Append("Connection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stop.Token);
        if (request.Method == "HEAD") return;

        var toSend = Math.Min(response.Body.Length, response.DropAfterBytes ?? int.MaxValue);
        for (var offset = 0; offset < toSend; offset += ChunkSize)
        {
            await stream.WriteAsync(response.Body.AsMemory(offset, Math.Min(ChunkSize, toSend - offset)), _stop.Token);
            if (response.ChunkDelay > TimeSpan.Zero) await Task.Delay(response.ChunkDelay, _stop.Token);
        }
        // Returning closes the connection: after a drop the client holds fewer bytes than Content-Length announced.
        await stream.FlushAsync(_stop.Token);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        206 => "Partial Content",
        302 => "Found",
        307 => "Temporary Redirect",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        416 => "Range Not Satisfiable",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
    }
}
