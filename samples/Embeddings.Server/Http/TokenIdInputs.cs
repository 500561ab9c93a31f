using System.Text.Json;
using Embeddings.Tokenization;

namespace Embeddings.Server.Http;

/// <summary>
/// TEI's token-id inputs (<c>"inputs": [101, 7592, 102]</c> or a list of such lists), taken exactly: the ids must be
/// what the model's tokenizer gives for some text (special tokens included, as /tokenize returns them). That text is
/// found by decoding and checked by encoding it again; ids that do not come back identical are refused (422) rather
/// than embedded as something else.
/// </summary>
internal static class TokenIdInputs
{
    /// <summary>True when <paramref name="inputs"/> holds token ids rather than texts.</summary>
    public static bool AreTokenIds(JsonElement inputs) =>
        inputs.ValueKind == JsonValueKind.Array && inputs.GetArrayLength() > 0
        && inputs[0].ValueKind is JsonValueKind.Number or JsonValueKind.Array
        && (inputs[0].ValueKind == JsonValueKind.Number || inputs[0].GetArrayLength() == 0 || inputs[0][0].ValueKind == JsonValueKind.Number);

    /// <summary>The texts the id lists stand for.</summary>
    /// <exception cref="ApiException">Malformed ids (422), too many lists (413), or ids no text encodes to (422).</exception>
    public static string[] Texts(JsonElement inputs, string field, int maxClientBatchSize, Tokenizer tokenizer)
    {
        var lists = RequestInputs.IdLists(inputs, field, maxClientBatchSize);
        var texts = new string[lists.Length];
        for (int i = 0; i < lists.Length; i++)
        {
            foreach (int id in lists[i])
                if (id >= tokenizer.VocabularySize)
                    throw ApiException.Validation($"`{field}` item {i} has token id {id}, outside the model's vocabulary of {tokenizer.VocabularySize}.");
            string text = tokenizer.Decode(lists[i], skipSpecialTokens: true);
            if (!tokenizer.Encode(text).Ids.AsSpan().SequenceEqual(lists[i]))
                throw ApiException.Validation(
                    $"`{field}` item {i}: these token ids are not what the model's tokenizer gives for any text (with its special tokens), " +
                    "so they cannot be embedded exactly; send the text, or ids as /tokenize returns them.");
            texts[i] = text;
        }
        return texts;
    }
}
