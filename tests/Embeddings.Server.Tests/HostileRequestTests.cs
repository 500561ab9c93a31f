using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Embeddings.Server.Tests.Support;
using Embeddings.TestModels;

namespace Embeddings.Server.Tests;

/// <summary>
/// Requests an adversarial client sends: text that is not valid Unicode, bodies over Kestrel's limit or stalled,
/// bodies that are not JSON, duplicate keys, unknown token ids, texts longer than the server accepts. Each is answered
/// with the 4xx TEI gives (in TEI's or OpenAI's error shape), never a 500.
/// </summary>
public sealed class HostileRequestTests(BertServer bert) : IClassFixture<BertServer>
{
    public static TheoryData<string, string> InvalidUnicode()
    {
        var data = new TheoryData<string, string>();
        foreach (var (route, inputs) in new[] { ("/embed", "inputs"), ("/embed_all", "inputs"), ("/tokenize", "inputs"), ("/v1/embeddings", "input") })
        {
            data.Add(route, $$"""{"{{inputs}}": "abc\ud800"}""");
            data.Add(route, $$"""{"{{inputs}}": ["ok", "\udc00 low first"]}""");
            data.Add(route, $$"""{"{{inputs}}": "a", "{{(route == "/v1/embeddings" ? "model" : "prompt_name")}}": "x\ud800"}""");
            data.Add(route, $$"""{"{{inputs}}": "a", "x\ud834": 1}""");
        }
        data.Add("/embed", """{"inputs": "a", "truncation_direction": "\ud800"}""");
        data.Add("/v1/embeddings", """{"input": "a", "encoding_format": "\ud800"}""");
        return data;
    }

    [FixtureTheory]
    [MemberData(nameof(InvalidUnicode))]
    public async Task Text_that_is_not_valid_Unicode_is_a_422_on_every_route_and_field(string route, string json)
    {
        var (status, body) = await bert.Server.PostAsync(route, json);
        Assert.Equal(422, status);
        Assert.Contains("Unicode", ErrorMessage(body), StringComparison.Ordinal);
    }

    [FixtureTheory]
    [InlineData("/embed")]
    [InlineData("/tokenize")]
    [InlineData("/v1/embeddings")]
    public async Task Raw_invalid_UTF_8_is_a_422(string route)
    {
        string field = route == "/v1/embeddings" ? "input" : "inputs";
        byte[] bytes = [.. Encoding.UTF8.GetBytes("{\"" + field + "\": \"abc"), 0xFF, 0xC3, (byte)'"', (byte)'}'];
        var (status, body) = await PostBytesAsync(route, bytes, "application/json");
        Assert.Equal(422, status);
        Assert.Contains("UTF-8", ErrorMessage(body), StringComparison.Ordinal);
    }

    [FixtureFact]
    public async Task Paired_surrogate_escapes_and_escaped_backslashes_are_ordinary_text()
    {
        var (status, body) = await bert.Server.PostAsync("/tokenize", """{"inputs": "emoji \ud83d\ude00 and a backslash-u \\ud800"}""");
        Assert.Equal(200, status);
        Assert.Equal(JsonValueKind.Array, Json.Required(body).ValueKind);
    }

    [FixtureFact]
    public async Task A_body_over_Kestrels_limit_is_a_413_not_a_500()
    {
        // The answer comes as soon as the declared length is seen (an HttpClient would fail writing the rest of the
        // body to the closed connection, so the request is written by hand), then the first 1 MB of the body follows.
        string? statusLine = await RawRequestAsync(40 * 1024 * 1024, "{\"inputs\": \"" + new string('a', 1 << 20));
        Assert.StartsWith("HTTP/1.1 413", statusLine);
    }

    private async Task<string?> RawRequestAsync(int contentLength, string bodyStart)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(bert.Server.Address.Host, bert.Server.Address.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /embed HTTP/1.1\r\nHost: {bert.Server.Address.Authority}\r\nContent-Type: application/json\r\nContent-Length: {contentLength}\r\n\r\n"));
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(bodyStart));
        }
        catch (IOException)
        {
            // the server answered and closed before taking it all
        }
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1));
    }

    [FixtureFact]
    public async Task A_stalled_body_is_a_408_not_a_500()
    {
        // Kestrel's minimum body data rate (240 bytes/s after a 5 s grace period) ends a body that stops arriving.
        string? statusLine = await RawRequestAsync(1000, "{\"inputs\": \"a");
        Assert.StartsWith("HTTP/1.1 408", statusLine);
    }

    [FixtureTheory]
    [InlineData("/embed", "text/plain")]
    [InlineData("/tokenize", "application/x-www-form-urlencoded")]
    [InlineData("/v1/embeddings", "text/html; charset=utf-8")]
    public async Task A_body_declared_as_something_other_than_JSON_is_a_415(string route, string contentType)
    {
        var (status, body) = await PostBytesAsync(route, """{"inputs": "a", "input": "a"}"""u8.ToArray(), contentType);
        Assert.Equal(415, status);
        Assert.Contains("application/json", ErrorMessage(body), StringComparison.Ordinal);
    }

    [FixtureFact]
    public async Task A_JSON_content_type_with_parameters_or_a_json_suffix_is_accepted()
    {
        var (status, _) = await PostBytesAsync("/embed", """{"inputs": "a"}"""u8.ToArray(), "application/json; charset=utf-8");
        Assert.Equal(200, status);
        (status, _) = await PostBytesAsync("/embed", """{"inputs": "a"}"""u8.ToArray(), "application/vnd.api+json");
        Assert.Equal(200, status);
    }

    [FixtureTheory]
    [InlineData("/embed", """{"inputs": "a", "inputs": "b"}""")]
    [InlineData("/embed", """{"inputs": "a", "normalize": true, "normalize": false}""")]
    [InlineData("/v1/embeddings", """{"input": "a", "model": "m", "model": "n"}""")]
    public async Task Duplicate_keys_are_a_422_not_last_one_wins(string route, string json)
    {
        var (status, body) = await bert.Server.PostAsync(route, json);
        Assert.Equal(422, status);
        Assert.Contains("not valid JSON", ErrorMessage(body), StringComparison.Ordinal);
    }

    [FixtureFact]
    public async Task Decoding_an_id_outside_the_vocabulary_is_a_422()
    {
        int unknown = bert.Model.Tokenizer.VocabularySize + 10;
        var (status, body) = await bert.Server.PostAsync("/decode", new { ids = new[] { 101, unknown } });
        Assert.Equal(422, status);
        Assert.Contains(unknown.ToString(System.Globalization.CultureInfo.InvariantCulture), ErrorMessage(body), StringComparison.Ordinal);
    }

    [FixtureTheory]
    [InlineData("/embed", false)]
    [InlineData("/embed", true)]
    [InlineData("/tokenize", false)]
    [InlineData("/v1/embeddings", false)]
    public async Task A_text_over_the_per_input_limit_is_a_413(string route, bool escaped)
    {
        // Over 1,048,576 characters, as plain characters or as \u escapes (six bytes each).
        string text = escaped ? string.Concat(Enumerable.Repeat("\\u0061", (1 << 20) + 1)) : new string('a', (1 << 20) + 1);
        string field = route == "/v1/embeddings" ? "input" : "inputs";
        var (status, body) = await bert.Server.PostAsync(route, $$"""{"{{field}}": ["short", "{{text}}"]}""");
        Assert.Equal(413, status);
        Assert.Contains("input 1 ", ErrorMessage(body), StringComparison.Ordinal);
    }

    [FixtureFact]
    public async Task A_text_at_the_per_input_limit_is_embedded()
    {
        string text = string.Concat(Enumerable.Repeat("word ", (1 << 20) / 5));
        var (status, body) = await bert.Server.PostAsync("/embed", new { inputs = text, truncate = true });
        Assert.Equal(200, status);
        Assert.Equal(1, Json.Required(body).GetArrayLength());
    }

    private async Task<(int Status, JsonElement? Body)> PostBytesAsync(string route, byte[] bytes, string contentType)
    {
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await bert.Server.Http.PostAsync(route, content);
        string text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.Clone());
    }

    // TEI's {"error": "..."} or OpenAI's {"error": {"message": "..."}}.
    private static string ErrorMessage(JsonElement? body)
    {
        var error = Json.Required(body).GetProperty("error");
        return error.ValueKind == JsonValueKind.Object ? error.GetProperty("message").GetString()! : error.GetString()!;
    }
}
