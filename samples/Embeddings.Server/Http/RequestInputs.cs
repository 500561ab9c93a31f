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
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Array => ArrayOfTexts(value, field),
            _ => throw ApiException.Validation($"`{field}` must be a string or an array of strings."),
        };
        if (texts.Length == 0) throw ApiException.Empty($"`{field}` cannot be empty");
        if (texts.Length > maxClientBatchSize) throw ApiException.TooManyInputs(texts.Length, maxClientBatchSize);
        for (int i = 0; i < texts.Length; i++)
            if (texts[i].Length == 0) throw ApiException.Empty($"`{field}` item {i} is empty; `{field}` cannot be empty");
        return texts;
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

    private static string[] ArrayOfTexts(JsonElement array, string field)
    {
        var texts = new string[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            texts[i] = item.ValueKind switch
            {
                JsonValueKind.String => item.GetString()!,
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
