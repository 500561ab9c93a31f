using System.Text.Json;
using Embeddings.Tokenization;

namespace Embeddings.Remote.Http;

/// <summary>
/// One text's <see cref="TokenEmbeddings"/> from a /tokenize answer (ids, token text, special flags, UTF-8 byte
/// offsets into the prompted text) and an /embed_all answer (one vector per token, after truncation).
/// </summary>
internal static class TokenVectors
{
    public static TokenEmbeddings Read(JsonElement tokenize, JsonElement embedAll, int item, string prompt, string text, TokenEmbeddingOptions options, Uri uri)
    {
        var tokens = tokenize[item];
        var rows = embedAll[item];
        int all = tokens.GetArrayLength(), kept = rows.GetArrayLength();
        if (kept == 0 || kept > all)
            throw new RemoteEmbedderException($"{uri} answered {kept} token vectors for input {item}, which /tokenize splits into {all} tokens.", uri, 200, null);
        int dimensions = rows[0].GetArrayLength();
        // A truncated text keeps its first tokens and its closing special token (as the tokenizer truncates).
        bool truncated = kept < all;
        var order = Enumerable.Range(0, kept).ToArray();
        if (truncated && tokens[all - 1].GetProperty("special").GetBoolean()) order[kept - 1] = all - 1;

        string prompted = prompt + text;
        var charOfByte = CharIndexOfUtf8Offset(prompted);
        var ids = new List<int>(kept);
        var strings = new List<string>(kept);
        var offsets = new List<TokenOffset>(kept);
        var special = new List<bool>(kept);
        var vectors = new List<float>(kept * dimensions);
        for (int t = 0; t < kept; t++)
        {
            var token = tokens[order[t]];
            bool isSpecial = token.GetProperty("special").GetBoolean();
            if (isSpecial && !options.IncludeSpecialTokens) continue;
            ids.Add(token.GetProperty("id").GetInt32());
            // The vocabulary string when the server gives it (the Embeddings server does), else the text the token covers (TEI).
            strings.Add((token.TryGetProperty("token", out var vocabulary) && vocabulary.ValueKind == JsonValueKind.String ? vocabulary : token.GetProperty("text")).GetString() ?? "");
            special.Add(isSpecial);
            offsets.Add(isSpecial || token.GetProperty("start").ValueKind != JsonValueKind.Number
                ? new TokenOffset(0, 0)
                : new TokenOffset(
                    Math.Max(0, charOfByte(token.GetProperty("start").GetInt32()) - prompt.Length),
                    Math.Max(0, charOfByte(token.GetProperty("stop").GetInt32()) - prompt.Length)));
            var row = rows[t];
            if (row.GetArrayLength() != dimensions)
                throw new RemoteEmbedderException($"{uri} answered token vectors of different widths for input {item}.", uri, 200, null);
            int first = vectors.Count;
            foreach (var value in row.EnumerateArray()) vectors.Add(value.GetSingle());
            if (options.Normalize) Normalize(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(vectors).Slice(first, dimensions));
        }
        return new TokenEmbeddings(ids.ToArray(), strings.ToArray(), offsets.ToArray(), special.ToArray(), vectors.ToArray(), dimensions, truncated);
    }

    private static void Normalize(Span<float> vector)
    {
        float norm = System.Numerics.Tensors.TensorPrimitives.Norm(vector);
        if (norm > 0) System.Numerics.Tensors.TensorPrimitives.Divide(vector, norm, vector);
    }

    // Maps a UTF-8 byte offset of the text to its UTF-16 index (an offset inside a character maps to that character's end).
    private static Func<int, int> CharIndexOfUtf8Offset(string text)
    {
        var charAt = new int[System.Text.Encoding.UTF8.GetByteCount(text) + 1];
        int bytes = 0;
        for (int i = 0; i < text.Length; i++)
        {
            int width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                ? 4
                : text[i] < 0x80 ? 1 : text[i] < 0x800 ? 2 : 3;
            int units = width == 4 ? 2 : 1;
            for (int b = 0; b < width && bytes + b < charAt.Length; b++) charAt[bytes + b] = b == 0 ? i : i + units;
            bytes += width;
            i += units - 1;
        }
        charAt[^1] = text.Length;
        return offset => charAt[Math.Clamp(offset, 0, charAt.Length - 1)];
    }
}
