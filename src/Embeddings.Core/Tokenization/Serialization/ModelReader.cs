using System.Text.Json;
using Embeddings.Tokenization.Models;

namespace Embeddings.Tokenization.Serialization;

/// <summary>Reads the <c>model</c> section of tokenizer.json for each model kind.</summary>
internal static class ModelReader
{
    public static WordPieceModel WordPiece(JsonNode json) => new(
        ReadVocabulary(json.Required("vocab")),
        json.OptionalString("unk_token") ?? "[UNK]",
        json.OptionalString("continuing_subword_prefix") ?? "##",
        PositiveOrDefault(json, "max_input_chars_per_word", 100));

    public static WordLevelModel WordLevel(JsonNode json) =>
        new(ReadVocabulary(json.Required("vocab")), json.OptionalString("unk_token") ?? "<unk>");

    public static BpeModel Bpe(JsonNode json)
    {
        var vocabulary = ReadVocabulary(json.Required("vocab"));
        var mergesNode = json.Required("merges");
        var merges = new List<(string, string)>(mergesNode.ArrayLength);
        foreach (var item in mergesNode.Items())
        {
            if (item.Kind == JsonValueKind.Array)
            {
                if (item.ArrayLength != 2) throw item.Error("a merge must be a pair of tokens");
                var parts = item.Items().ToArray();
                merges.Add((parts[0].AsString(), parts[1].AsString()));
                continue;
            }
            var line = item.AsString();
            if (line.StartsWith("#version", StringComparison.Ordinal)) continue;
            var space = line.IndexOf(' ');
            if (space < 0 || line.IndexOf(' ', space + 1) >= 0)
                throw item.Error($"a merge must be two tokens separated by one space, found \"{line}\"");
            merges.Add((line[..space], line[(space + 1)..]));
        }
        float? dropout = null;
        if (json.Member("dropout") is { } d)
        {
            var value = d.AsDouble();
            if (value is < 0 or > 1) throw d.Error($"dropout must be between 0 and 1, found {value}");
            dropout = (float)value;
        }
        var options = new BpeOptions(
            json.OptionalString("unk_token"),
            json.OptionalString("continuing_subword_prefix"),
            json.OptionalString("end_of_word_suffix"),
            json.Bool("fuse_unk", false),
            json.Bool("byte_fallback", false),
            json.Bool("ignore_merges", false),
            dropout);
        return new BpeModel(vocabulary, merges, options);
    }

    public static UnigramModel Unigram(JsonNode json)
    {
        var vocabNode = json.Required("vocab");
        var pieces = new List<(string, double)>(vocabNode.ArrayLength);
        foreach (var item in vocabNode.Items())
        {
            if (item.Kind != JsonValueKind.Array || item.ArrayLength != 2) throw item.Error("expected [piece, score]");
            var parts = item.Items().ToArray();
            pieces.Add((parts[0].AsString(), ReadScore(parts[1])));
        }
        var unk = json.Member("unk_id")?.AsInt();
        return new UnigramModel(pieces, unk, json.Bool("byte_fallback", false));
    }

    // Scores are read with the reference's number parsing, whose last bit decides ties between segmentations.
    private static double ReadScore(JsonNode json)
    {
        if (json.Kind == JsonValueKind.Number && ReferenceFloatParser.TryParse(json.Element.GetRawText(), out var score)) return score;
        throw json.Error("expected a number");
    }

    /// <summary>Reads <c>{"token": id, ...}</c>.</summary>
    public static Vocabulary ReadVocabulary(JsonNode json)
    {
        if (json.Kind != JsonValueKind.Object) throw json.Error("the vocabulary must be an object of token: id");
        var entries = new List<KeyValuePair<string, int>>();
        foreach (var property in json.Element.EnumerateObject())
        {
            var name = json.NameOf(property);
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var id) || id < 0)
                throw new JsonNode(property.Value, json.Path + "." + name, json.Source)
                    .Error("a vocabulary id must be a non-negative integer");
            entries.Add(new(name, id));
        }
        return new Vocabulary(entries);
    }

    private static int PositiveOrDefault(JsonNode json, string name, int fallback)
    {
        var value = json.Int(name, fallback);
        return value >= 0 ? value : throw json.Required(name).Error($"{name} must not be negative");
    }
}
