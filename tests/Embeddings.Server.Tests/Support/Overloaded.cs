using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Embeddings.Server.Tests.Support;

/// <summary>
/// A 429 answer: the queue's refusal as the client reads it. The message states how many tokens the queue held at
/// the moment it refused, the request's own tokens and the limit, which lets a test check the bound at every refusal.
/// </summary>
internal sealed partial record Overloaded(long Held, long Requested, long Limit)
{
    [GeneratedRegex(@"holds (\d+) tokens; this request's (\d+) would pass its limit of (\d+)")]
    private static partial Regex Figures();

    /// <summary>The message of a 429 body, after checking its shape (TEI's or OpenAI's) and its Overloaded type.</summary>
    public static string Message(JsonElement body, bool openAi)
    {
        if (openAi)
        {
            var error = body.GetProperty("error");
            Assert.Equal("Overloaded", error.GetProperty("type").GetString());
            Assert.Equal(429, error.GetProperty("code").GetInt32());
            return error.GetProperty("message").GetString() ?? "";
        }
        Assert.Equal("Overloaded", body.GetProperty("error_type").GetString());
        return body.GetProperty("error").GetString() ?? "";
    }

    /// <summary>The figures in a refusal message.</summary>
    public static Overloaded Parse(string message)
    {
        var match = Figures().Match(message);
        Assert.True(match.Success, $"A 429 message without the queue's figures: \"{message}\"");
        long Figure(int group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
        return new Overloaded(Figure(1), Figure(2), Figure(3));
    }
}
