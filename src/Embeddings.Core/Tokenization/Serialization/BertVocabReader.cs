using Embeddings.Tokenization.Decoders;
using Embeddings.Tokenization.Models;
using Embeddings.Tokenization.Normalizers;
using Embeddings.Tokenization.PostProcessors;
using Embeddings.Tokenization.PreTokenizers;

namespace Embeddings.Tokenization.Serialization;

/// <summary>
/// Builds a BERT tokenizer from a <c>vocab.txt</c>, configured as <c>transformers</c> converts a slow
/// BertTokenizer to a fast one.
/// </summary>
internal static class BertVocabReader
{
    private static readonly string[] SpecialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    public static Tokenizer Read(string path, bool lowercase)
    {
        if (Embeddings.Models.RegularFile.NotRegularReason(path) is { } notRegular)
            throw new TokenizerFormatException(path, "$", $"the file is {notRegular}, not a regular file.");
        var entries = new List<KeyValuePair<string, int>>();
        var index = 0;
        foreach (var line in File.ReadLines(path))
            entries.Add(new(line.TrimEnd(), index++));
        var vocabulary = new Vocabulary(entries);

        int Require(string token) => vocabulary.TryGetId(token, out var id)
            ? id
            : throw new TokenizerFormatException(path, "vocabulary", $"the vocabulary has no {token} token");
        var cls = Require("[CLS]");
        var sep = Require("[SEP]");
        Require("[UNK]");

        var specials = new Dictionary<string, (int[], string[])>(StringComparer.Ordinal)
        {
            ["[CLS]"] = ([cls], ["[CLS]"]),
            ["[SEP]"] = ([sep], ["[SEP]"]),
        };
        TemplateProcessing.Piece Special(string id, int typeId) => new(false, 0, id, typeId);
        TemplateProcessing.Piece Sequence(int sequence, int typeId) => new(true, sequence, null, typeId);
        var template = new TemplateProcessing(
            [Special("[CLS]", 0), Sequence(0, 0), Special("[SEP]", 0)],
            [Special("[CLS]", 0), Sequence(0, 0), Special("[SEP]", 0), Sequence(1, 1), Special("[SEP]", 1)],
            specials);

        var added = SpecialTokens
            .Where(t => vocabulary.TryGetId(t, out _))
            .Select(t => new AddedToken(vocabulary.TryGetId(t, out var id) ? id : -1, t, Special: true, Normalized: false));
        return new Tokenizer(
            new BertNormalizer(cleanText: true, handleChineseChars: true, stripAccents: null, lowercase),
            new BertPreTokenizer(),
            new WordPieceModel(vocabulary, "[UNK]", "##", 100),
            template,
            new WordPieceDecoder("##", cleanup: true),
            added,
            truncation: null,
            padding: null);
    }
}
