using System.Text.Json;

namespace Embeddings.Server.Http;

/// <summary>The inputs of a request, as TEI and OpenAI accept them, checked against the server's limits.</summary>
internal static class RequestInputs
{
    /// <summary>
    /// Texts from a string or an array of strings. An empty list or an empty text is refused (422, Empty); more than
    /// <paramref name="maxClientBatchSize"/> texts is refused (413). Token-id inputs and text pairs are refused (422):
    /// the library embeds text.
    /// </summary>
    public static string[] Texts(JsonElement value, string field, int maxClientBatchSize)
    {
        string[] texts = value.ValueKind switch
        {
            JsonValueKind.String => [Text(value, 0)],
            JsonValueKind.Array => ArrayOfTexts(value, field),
            _ => throw ApiException.Validation($"`{field}` must be a string or an array of strings."),
        };
        if (texts.Length == 0) throw ApiException.Empty($"`{field}` cannot be empty");
        if (texts.Length > maxClientBatchSize) throw ApiException.TooManyInputs(texts.Length, maxClientBatchSize);
        for (int i = 0; i < texts.Length; i++)
        {
            if (texts[i].Length == 0) throw ApiException.Empty($"`{field}` item {i} is empty; `{field}` cannot be empty");
            if (texts[i].Length > MaxTextCharacters) throw ApiException.TextTooLong(i, texts[i].Length, MaxTextCharacters, "characters");
        }
        return texts;
    }

    /// <summary>
    /// The longest text accepted, in UTF-16 characters (1,048,576, about 2 MB of UTF-8, TEI's default payload limit):
    /// far more than any model's token limit covers, and it bounds what one text can cost where the whole of it is
    /// processed (counting the tokens of a text too long for the model with truncation off, /tokenize's answer).
    /// </summary>
    public const int MaxTextCharacters = 1 << 20;

    /// <summary>Every id must be a token of the tokenizer (422 otherwise), as TEI's decoder requires.</summary>
    public static void CheckKnownIds(int[][] lists, Embeddings.Tokenization.Tokenizer tokenizer, string field)
    {
        for (int i = 0; i < lists.Length; i++)
            foreach (int id in lists[i])
                if (tokenizer.IdToToken(id) is null)
                    throw ApiException.Validation($"`{field}` holds {id}, which is not a token id of this model's tokenizer (its vocabulary has {tokenizer.VocabularySize} tokens).");
    }

    /// <summary>Token ids to decode: one list (<c>[1, 2]</c>) or several (<c>[[1, 2], [3]]</c>), each non-empty.</summary>
    public static int[][] IdLists(JsonElement value, string field, int maxClientBatchSize)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw ApiException.Validation($"`{field}` must be an array of token ids or an array of such arrays.");
        bool nested = value.GetArrayLength() > 0 && value[0].ValueKind == JsonValueKind.Array;
        int[][] lists = nested
            ? value.EnumerateArray().Select((list, i) => Ids(list, $"{field}[{i}]")).ToArray()
            : [Ids(value, field)];
        if (nested && lists.Length > maxClientBatchSize) throw ApiException.TooManyInputs(lists.Length, maxClientBatchSize);
        for (int i = 0; i < lists.Length; i++)
            if (lists[i].Length == 0) throw ApiException.Empty(nested ? $"`{field}` item {i} is empty" : $"`{field}` cannot be empty");
        return lists;
    }

    // A JSON string's text, refused (413) before it is copied out when its raw UTF-8 form proves it too long: every
    // character takes at least one byte and at most six (a \uXXXX escape).
    private static string Text(JsonElement value, int index)
    {
        int rawBytes = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value).Length - 2;
        if (rawBytes > 6L * MaxTextCharacters) throw ApiException.TextTooLong(index, rawBytes, MaxTextCharacters, "bytes");
        return value.GetString()!;
    }

    private static string[] ArrayOfTexts(JsonElement array, string field)
    {
        var texts = new string[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            texts[i] = item.ValueKind switch
            {
                JsonValueKind.String => Text(item, i),
                JsonValueKind.Number or JsonValueKind.Array => throw ApiException.Validation(
                    $"`{field}` item {i} is not a string: token-id inputs and text pairs are not supported; send text."),
                _ => throw ApiException.Validation($"`{field}` item {i} must be a string."),
            };
            i++;
        }
        return texts;
    }

    private static int[] Ids(JsonElement list, string field)
    {
        if (list.ValueKind != JsonValueKind.Array) throw ApiException.Validation($"`{field}` must be an array of token ids.");
        var ids = new int[list.GetArrayLength()];
        int i = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out ids[i]) || ids[i] < 0)
                throw ApiException.Validation($"`{field}` item {i} is not a token id (a whole number ≥ 0).");
            i++;
        }
        return ids;
    }
}
