using System.Text.Json;
using Embeddings.Reliability.Tests.Support;
using Embeddings.TestModels;
using Embeddings.Tokenization;
using FsCheck;
using FsCheck.Fluent;

namespace Embeddings.Reliability.Tests;

/// <summary>
/// Property tests over the tokenizer with random and mutated input (docs/reliability.md, "Fuzzing"): a mutated
/// tokenizer.json either loads, and then encodes anything, or is refused with one of the exceptions
/// <see cref="Tokenizer.FromJson"/> documents (<see cref="TokenizerFormatException"/>, <see cref="NotSupportedException"/>);
/// and any text encodes without an exception. Any other exception fails the property with its (shrunk) input.
/// </summary>
public sealed class TokenizerFuzzTests
{
    /// <summary>Every fixture tokenizer with its number of cases, scaled down for the large files.</summary>
    public static TheoryData<string, int> Tokenizers => new()
    {
        { "bert-uncased", 80 }, { "bert-multilingual-cased", 30 }, { "roberta", 60 }, { "t5", 60 }, { "modernbert", 40 }, { "mpnet", 40 }, { "qwen", 6 },
    };

    /// <summary>Texts every loaded tokenizer must encode: empty, whitespace, accents, CJK, emoji, lone surrogates, controls, specials.</summary>
    private static readonly string[] Probes =
        ["", " ", "Hello, world!", "naïve café déjà vu", "中文字符 and 日本語", "👍🏽 🐈‍⬛", "a\uD800b\uDC00", "\0\u0007\u200F", "[CLS] <s> </s> [UNK]", "x\u0301\u0301"];

    private static string PathOf(string tokenizer) => Path.Combine(Fixtures.TokenizerDir(tokenizer), "tokenizer.json");

    [FixtureTheory]
    [MemberData(nameof(Tokenizers))]
    public void A_structurally_mutated_tokenizer_json_loads_or_is_refused_with_a_documented_exception(string tokenizer, int cases)
    {
        var document = TokenizerDocument.Load(PathOf(tokenizer));
        var edits = Gen.Choose(1, 3).SelectMany(count => JsonEdit.Generator.ArrayOf(count)).ToArbitrary();

        var tally = new AcceptanceTally();
        Check.One(FuzzConfig.Cases(cases), Prop.ForAll(edits, list => LoadsOrIsRefused(() => Tokenizer.FromJson(document.With(list), tokenizer), tokenizer, tally)));
        // The default seed loads 2 to 15 per tokenizer (5% to 33%); runs are small, so the floor is a count.
        tally.RequireAccepted(1, $"{tokenizer}: structurally mutated tokenizer.json files that load");
    }

    [FixtureTheory]
    [MemberData(nameof(Tokenizers))]
    public void A_vocabulary_entry_that_contradicts_the_model_loads_or_is_refused_with_a_documented_exception(string tokenizer, int cases)
    {
        var document = TokenizerDocument.Load(PathOf(tokenizer));
        var entries = (from key in JsonEdit.RandomValue(depth: 0)
                       from value in JsonEdit.RandomValue(depth: 1)
                       select (Key: key, Value: value)).ToArbitrary();

        var tally = new AcceptanceTally();
        Check.One(FuzzConfig.Cases(cases / 2), Prop.ForAll(entries, entry =>
            LoadsOrIsRefused(() => Tokenizer.FromJson(document.WithVocabularyEntry(entry.Key, entry.Value), tokenizer), tokenizer, tally)));
        // Most entries contradict the model and are refused: the default seed loads 1 to 7 per tokenizer, 0 in qwen's 3 cases.
        tally.RequireAccepted(cases / 2 >= 10 ? 1 : 0, $"{tokenizer}: tokenizer.json files with a contradicting vocabulary entry that load");
    }

    [FixtureTheory]
    [MemberData(nameof(Tokenizers))]
    public void A_byte_mutated_tokenizer_file_loads_or_is_refused_with_a_documented_exception(string tokenizer, int cases)
    {
        var original = File.ReadAllBytes(PathOf(tokenizer));
        using var folder = new TemporaryFolder();
        string path = folder.File("tokenizer.json");
        var edits = Gen.Choose(1, 4).SelectMany(count => ByteEdit.Generator.ArrayOf(count)).ToArbitrary();

        var tally = new AcceptanceTally();
        Check.One(FuzzConfig.Cases(cases / 2), Prop.ForAll(edits, list =>
        {
            File.WriteAllBytes(path, list.Aggregate(original, (bytes, edit) => edit.ApplyTo(bytes)));
            return LoadsOrIsRefused(() => Tokenizer.FromFile(path), path, tally);
        }));
        // The default seed loads 1 to 7 per tokenizer, 0 in qwen's 3 cases.
        tally.RequireAccepted(cases / 2 >= 10 ? 1 : 0, $"{tokenizer}: byte-mutated tokenizer.json files that load");
    }

    [FixtureTheory]
    [MemberData(nameof(Tokenizers))]
    public void Any_text_encodes_without_an_exception_and_with_offsets_inside_it(string tokenizer, int cases)
    {
        var loaded = Tokenizer.FromFile(PathOf(tokenizer));
        var inputs = (from text in RandomText()
                      from pair in Gen.Frequency((3, Gen.Constant<string?>(null)), (1, RandomText().Select(p => (string?)p)))
                      from maxLength in Gen.Frequency((1, Gen.Constant<int?>(null)), (2, Gen.Choose(0, 40).Select(n => (int?)n)))
                      from special in Gen.Elements(true, false)
                      select (Text: text, Pair: pair, MaxLength: maxLength, Special: special)).ToArbitrary();

        Check.One(FuzzConfig.Cases(cases * 3), Prop.ForAll(inputs, input =>
        {
            var options = new EncodeOptions
            {
                AddSpecialTokens = input.Special,
                Truncation = input.MaxLength is { } max ? new TruncationOptions(max, PairTruncationStrategy.LongestFirst, SequenceSide.Right) : null,
            };
            var encoding = loaded.Encode(input.Text, input.Pair, options);
            CheckEncoding(encoding, input.Text, input.Pair);
            loaded.Decode(encoding.Ids);
            return true;
        }));
    }

    /// <summary>Loads; a tokenizer that loads must then encode and decode every probe. Only documented exceptions may stop the load.</summary>
    private static bool LoadsOrIsRefused(Func<Tokenizer> load, string source, AcceptanceTally tally)
    {
        Tokenizer tokenizer;
        try
        {
            tokenizer = load();
        }
        catch (TokenizerFormatException e)
        {
            Assert.Equal(source, e.SourceName);
            tally.Refuse();
            return true;
        }
        catch (NotSupportedException e)
        {
            Assert.Contains(source, e.Message, StringComparison.Ordinal);
            tally.Refuse();
            return true;
        }
        tally.Accept();
        foreach (string probe in Probes)
        {
            var encoding = tokenizer.Encode(probe, probe);
            CheckEncoding(encoding, probe, probe);
            tokenizer.Decode(encoding.Ids);
        }
        return true;
    }

    private static void CheckEncoding(Encoding encoding, string text, string? pair)
    {
        Assert.Equal(encoding.Ids.Length, encoding.Offsets.Length);
        Assert.Equal(encoding.Ids.Length, encoding.Tokens.Length);
        Assert.Equal(encoding.Ids.Length, encoding.TypeIds.Length);
        int longest = Math.Max(text.Length, pair?.Length ?? 0);
        foreach (var offset in encoding.Offsets)
        {
            Assert.InRange(offset.Start, 0, longest);
            Assert.InRange(offset.End, offset.Start, longest);
        }
    }

    /// <summary>Text from every corner a tokenizer meets: ASCII, accents, combining marks, CJK, Arabic, emoji pairs, lone surrogates, controls, odd spaces.</summary>
    private static Gen<string> RandomText()
    {
        var pieces = Gen.Frequency(
            (8, Gen.Elements("the", "Hello", "world", " ", "  ", ",", ".", "'s", "123", "don't", "##", "▁", "Ġ", "[UNK]", "[CLS]", "<s>", "</s>", "<pad>")),
            (4, Gen.Choose(0x20, 0x7E).Select(c => ((char)c).ToString())),
            (2, Gen.Elements("é", "ß", "ﬁ", "Ⅻ", "\u0301", "\u0327", "ö", "İ", "ı", "Å")),
            (2, Gen.Elements("中", "文", "日本", "한국어", "กขค", "हिन्दी")),
            (2, Gen.Elements("مرحبا", "שלום", "\u200F", "\u202E", "\u2067")),
            (2, Gen.Elements("😀", "👍🏽", "🐈‍⬛", "🇫🇷", "👨‍👩‍👧")),
            (1, Gen.Elements("\uD800", "\uDFFF", "\uDBFF", "\uDC00")),
            (1, Gen.Elements("\0", "\u0001", "\t", "\n", "\r", "\u007F", "\u0085", "\u00A0", "\u2028", "\u3000", "\uFEFF", "\uFFFD", "\uFFFF")));
        return pieces.ListOf().Select(list => string.Concat(list.Take(60)));
    }
}
