using Embeddings.Tokenization;

namespace Embeddings.Server.Http;

/// <summary>
/// TEI's <c>"truncation_direction": "left"</c> for texts: a text over the model's limit keeps its last tokens. The
/// library cuts on the side the model names, so the server cuts the text itself, at the start of the first token
/// kept, and checks that the cut text encodes to exactly those tokens. Where a token cannot start a text (a word
/// piece such as "##ing") the cut moves on to the next token that can, keeping a token or two fewer than fit.
/// </summary>
internal static class LeftTruncation
{
    // How many tokens past the ideal cut are tried before giving up (word pieces of one long word).
    private const int MaxShift = 32;

    /// <summary>The texts, each cut on the left when it is too long for the model with <paramref name="prompt"/> in front.</summary>
    /// <exception cref="ApiException">A text cannot be cut at a token boundary that encodes back to the same tokens (422).</exception>
    public static string[] Cut(IReadOnlyList<string> texts, Tokenizer tokenizer, int maxLength, string prompt)
    {
        var result = new string[texts.Count];
        for (int i = 0; i < texts.Count; i++)
            result[i] = Tail(tokenizer, maxLength, prompt, texts[i])
                ?? throw ApiException.Validation($"Input {i} cannot be truncated on the left at a token boundary; shorten it, or truncate on the right.");
        return result;
    }

    private static string? Tail(Tokenizer tokenizer, int maxLength, string prompt, string text)
    {
        var whole = tokenizer.Encode(prompt + text);
        if (whole.Length <= maxLength) return text;
        var content = Enumerable.Range(0, whole.Length).Where(t => whole.SpecialTokensMask[t] == 0).ToArray();
        int specials = whole.Length - content.Length;
        int promptTokens = content.Count(t => whole.Offsets[t].Start < prompt.Length);
        int fits = maxLength - specials - promptTokens;
        if (fits <= 0) return null;
        for (int first = content.Length - fits, shift = 0; first < content.Length && shift < MaxShift; first++, shift++)
        {
            int start = whole.Offsets[content[first]].Start;
            if (start < prompt.Length) continue;
            string tail = text[(start - prompt.Length)..];
            var again = tokenizer.Encode(prompt + tail);
            if (again.Length > maxLength) continue;
            var kept = content[first..].Select(t => whole.Ids[t]);
            var tailIds = Enumerable.Range(0, again.Length).Where(t => again.SpecialTokensMask[t] == 0 && again.Offsets[t].Start >= prompt.Length).Select(t => again.Ids[t]);
            if (kept.SequenceEqual(tailIds)) return tail;
        }
        return null;
    }
}
