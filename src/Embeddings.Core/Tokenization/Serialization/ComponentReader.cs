using System.Text.Json;
using Embeddings.Tokenization.Decoders;
using Embeddings.Tokenization.Models;
using Embeddings.Tokenization.Normalizers;
using Embeddings.Tokenization.PostProcessors;
using Embeddings.Tokenization.PreTokenizers;

namespace Embeddings.Tokenization.Serialization;

/// <summary>
/// Maps each tokenizer.json component object to its implementation by its <c>type</c>. Older files whose
/// objects lack <c>type</c> are recognised by their fields where the reference implementation does so.
/// </summary>
internal static class ComponentReader
{
    public static Normalizer Normalizer(JsonNode json) => TypeOf(json, "normalizer") switch
    {
        "BertNormalizer" => BertNormalizer.FromJson(json),
        "NFC" => new NfcNormalizer(),
        "NFD" => new NfdNormalizer(),
        "NFKC" => new NfkcNormalizer(),
        "NFKD" => new NfkdNormalizer(),
        "Lowercase" => new LowercaseNormalizer(),
        "StripAccents" => new StripAccentsNormalizer(),
        "Strip" => StripNormalizer.FromJson(json),
        "Replace" => ReplaceNormalizer.FromJson(json),
        "Prepend" => PrependNormalizer.FromJson(json),
        "Nmt" => new NmtNormalizer(),
        "Precompiled" => PrecompiledNormalizer.FromJson(json),
        "ByteLevel" => new ByteLevelNormalizer(),
        "Sequence" => new SequenceNormalizer(json.Required("normalizers").Items().Select(Normalizer).ToArray()),
        var type => throw Unsupported(json, "normalizer", type),
    };

    public static PreTokenizer PreTokenizer(JsonNode json) => TypeOf(json, "pre-tokenizer") switch
    {
        "BertPreTokenizer" => new BertPreTokenizer(),
        "ByteLevel" => ByteLevelPreTokenizer.FromJson(json),
        "Whitespace" => new WhitespacePreTokenizer(),
        "WhitespaceSplit" => new WhitespaceSplitPreTokenizer(),
        "Metaspace" => MetaspacePreTokenizer.FromJson(json),
        "Split" => SplitPreTokenizer.FromJson(json),
        "Punctuation" => PunctuationPreTokenizer.FromJson(json),
        "Digits" => DigitsPreTokenizer.FromJson(json),
        "CharDelimiterSplit" => CharDelimiterSplitPreTokenizer.FromJson(json),
        "UnicodeScripts" => new UnicodeScriptsPreTokenizer(),
        "FixedLength" => FixedLengthPreTokenizer.FromJson(json),
        "Sequence" => new SequencePreTokenizer(json.Required("pretokenizers").Items().Select(PreTokenizer).ToArray()),
        var type => throw Unsupported(json, "pre-tokenizer", type),
    };

    public static PostProcessor PostProcessor(JsonNode json)
    {
        var type = json.Type ?? (json.Has("sep") && json.Has("cls") ? (json.Has("trim_offsets") ? "RobertaProcessing" : "BertProcessing")
            : json.Has("single") ? "TemplateProcessing"
            : json.Has("processors") ? "Sequence"
            : json.Has("trim_offsets") || json.Has("add_prefix_space") ? "ByteLevel"
            : throw json.Error("the post-processor has no 'type'"));
        return type switch
        {
            "TemplateProcessing" => TemplateProcessing.FromJson(json),
            "BertProcessing" => BertProcessing.FromJson(json),
            "RobertaProcessing" => RobertaProcessing.FromJson(json),
            "ByteLevel" => ByteLevelProcessing.FromJson(json),
            "Sequence" => new SequenceProcessing(json.Required("processors").Items().Select(PostProcessor).ToArray()),
            _ => throw Unsupported(json, "post-processor", type),
        };
    }

    public static Decoder Decoder(JsonNode json) => TypeOf(json, "decoder") switch
    {
        "WordPiece" => WordPieceDecoder.FromJson(json),
        "ByteLevel" => new ByteLevelDecoder(),
        "Metaspace" => MetaspaceDecoder.FromJson(json),
        "BPEDecoder" => BpeDecoder.FromJson(json),
        "Replace" => ReplaceDecoder.FromJson(json),
        "ByteFallback" => new ByteFallbackDecoder(),
        "Fuse" => new FuseDecoder(),
        "Strip" => StripDecoder.FromJson(json),
        "CTC" => CtcDecoder.FromJson(json),
        "Sequence" => new SequenceDecoder(json.Required("decoders").Items().Select(Decoder).ToArray()),
        var type => throw Unsupported(json, "decoder", type),
    };

    public static TokenizerModel Model(JsonNode json)
    {
        // Files written by older versions omit the model's type; infer it from the fields as the reference does.
        var type = json.Type ?? (json.Has("merges") ? "BPE"
            : json.Member("vocab") is { Kind: JsonValueKind.Array } ? "Unigram"
            : json.Has("continuing_subword_prefix") || json.Has("max_input_chars_per_word") ? "WordPiece"
            : json.Has("vocab") ? "WordLevel"
            : throw json.Error("the model has no 'type' and its fields match no known model"));
        try
        {
            return type switch
            {
                "WordPiece" => ModelReader.WordPiece(json),
                "BPE" => ModelReader.Bpe(json),
                "Unigram" => ModelReader.Unigram(json),
                "WordLevel" => ModelReader.WordLevel(json),
                _ => throw Unsupported(json, "model", type),
            };
        }
        catch (ArgumentException e)
        {
            throw json.Error(e.Message, e);
        }
    }

    private static string TypeOf(JsonNode json, string kind) =>
        json.Type ?? throw json.Error($"the {kind} has no 'type'");

    private static NotSupportedException Unsupported(JsonNode json, string kind, string type) =>
        new($"{json.Source}: {json.Path}: the {kind} type '{type}' is not supported.");
}
