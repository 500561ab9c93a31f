using System.Text.Json;

namespace Embeddings.Tokenization.Serialization;

/// <summary>Reads a tokenizer.json document into a <see cref="Tokenizer"/>.</summary>
internal static class TokenizerJsonReader
{
    private static readonly JsonDocumentOptions Options = new()
    {
        MaxDepth = 64,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    public static Tokenizer Read(Stream utf8Json, string source) => Read(() => JsonDocument.Parse(utf8Json, Options), source);

    public static Tokenizer Read(string json, string source) => Read(() => JsonDocument.Parse(json, Options), source);

    private static Tokenizer Read(Func<JsonDocument> parse, string source)
    {
        JsonDocument document;
        try
        {
            document = parse();
        }
        catch (JsonException e)
        {
            throw new TokenizerFormatException(source, Where(e), $"malformed JSON: {e.Message}", e);
        }
        using (document) return Read(new JsonNode(document.RootElement, "$", source));
    }

    private static Tokenizer Read(JsonNode root)
    {
        if (root.Kind != JsonValueKind.Object) throw root.Error("a tokenizer.json document must be a JSON object");
        if (root.Member("version") is { } version && version.AsString() != "1.0")
            throw version.Error($"unknown tokenizer.json version '{version.AsString()}' (expected 1.0)");

        var model = ComponentReader.Model(root.Required("model"));
        var normalizer = root.Member("normalizer") is { } n ? ComponentReader.Normalizer(n) : null;
        var preTokenizer = root.Member("pre_tokenizer") is { } p ? ComponentReader.PreTokenizer(p) : null;
        var postProcessor = root.Member("post_processor") is { } pp ? ComponentReader.PostProcessor(pp) : null;
        var decoder = root.Member("decoder") is { } d ? ComponentReader.Decoder(d) : null;
        var added = root.Member("added_tokens") is { } a ? a.Items().Select(ReadAddedToken).ToList() : [];
        var truncation = root.Member("truncation") is { } t ? ReadTruncation(t) : null;
        var padding = root.Member("padding") is { } pad ? ReadPadding(pad) : null;
        return new Tokenizer(normalizer, preTokenizer, model, postProcessor, decoder, added, truncation, padding);
    }

    private static AddedToken ReadAddedToken(JsonNode json)
    {
        var special = json.Bool("special", false);
        var id = json.Member("id")?.AsInt() ?? -1;
        return new AddedToken(id, json.RequiredString("content"), special, json.Bool("single_word", false),
            json.Bool("lstrip", false), json.Bool("rstrip", false), json.Bool("normalized", !special));
    }

    private static TruncationOptions ReadTruncation(JsonNode json)
    {
        var maxLength = json.RequiredInt("max_length");
        if (maxLength < 0) throw json.Required("max_length").Error("max_length must not be negative");
        var strategy = json.Member("strategy") is { } s
            ? s.AsString() switch
            {
                "LongestFirst" => PairTruncationStrategy.LongestFirst,
                "OnlyFirst" => PairTruncationStrategy.OnlyFirst,
                "OnlySecond" => PairTruncationStrategy.OnlySecond,
                var other => throw s.Error($"unknown truncation strategy '{other}'"),
            }
            : PairTruncationStrategy.LongestFirst;
        var direction = json.Member("direction") is { } d
            ? d.AsString() switch
            {
                "Right" => SequenceSide.Right,
                "Left" => SequenceSide.Left,
                var other => throw d.Error($"unknown truncation direction '{other}'"),
            }
            : SequenceSide.Right;
        var stride = json.Int("stride", 0);
        if (stride < 0) throw json.Required("stride").Error("stride must not be negative");
        return new TruncationOptions(maxLength, strategy, direction, stride);
    }

    private static PaddingOptions ReadPadding(JsonNode json)
    {
        int? fixedLength = null;
        if (json.Member("strategy") is { } strategy)
        {
            if (strategy.Kind == JsonValueKind.String)
            {
                if (strategy.AsString() != "BatchLongest") throw strategy.Error($"unknown padding strategy '{strategy.AsString()}'");
            }
            else fixedLength = strategy.Required("Fixed").AsInt();
        }
        var direction = json.Member("direction") is { } d
            ? d.AsString() switch
            {
                "Right" => SequenceSide.Right,
                "Left" => SequenceSide.Left,
                var other => throw d.Error($"unknown padding direction '{other}'"),
            }
            : SequenceSide.Right;
        var multiple = json.Member("pad_to_multiple_of")?.AsInt();
        try
        {
            return new PaddingOptions(fixedLength, direction, multiple is 0 ? null : multiple, json.Int("pad_id", 0),
                json.Int("pad_type_id", 0), json.OptionalString("pad_token") ?? "[PAD]");
        }
        catch (ArgumentException e)
        {
            throw json.Error(e.Message, e);
        }
    }

    private static string Where(JsonException e) =>
        e.LineNumber is { } line ? $"line {line + 1}, byte {e.BytePositionInLine + 1}" : "$";
}
