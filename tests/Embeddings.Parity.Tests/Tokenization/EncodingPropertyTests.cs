using StringBuilder = System.Text.StringBuilder;
using Embeddings.TestModels;
using Embeddings.Tokenization;
using FsCheck;
using FsCheck.Fluent;

namespace Embeddings.Core.Tests.Tokenization;

/// <summary>
/// Properties that must hold for any input string on every real tokenizer: encoding never throws, offsets
/// stay inside the input and their starts never go backwards within a sequence, truncation meets the limit
/// exactly, and the ids-only path agrees with the full encoding.
/// </summary>
public sealed class EncodingPropertyTests
{
    public static TheoryData<string> Families() => ReferenceParityTests.Families();

    [FixtureTheory]
    [MemberData(nameof(Families))]
    public void Any_string_encodes_with_offsets_inside_the_text_and_ordered_starts(string family)
    {
        var tokenizer = ReferenceParityTests.LoadTokenizer(family);
        Prop.ForAll(Texts(), Texts(), (text, pair) =>
            {
                CheckOffsets(tokenizer.Encode(text), text, null);
                CheckOffsets(tokenizer.Encode(text, pair), text, pair);
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(150));
    }

    [FixtureTheory]
    [MemberData(nameof(Families))]
    public void Truncation_meets_the_limit_exactly(string family)
    {
        var tokenizer = ReferenceParityTests.LoadTokenizer(family);
        var special = tokenizer.NumSpecialTokensToAdd(isPair: true);
        Prop.ForAll(Texts(), Texts(), Gen.Choose(special, 64).ToArbitrary(), (text, pair, maxLength) =>
            {
                var options = new EncodeOptions { Truncation = new TruncationOptions(maxLength) };
                var full = tokenizer.Encode(text, pair).Length;
                var truncated = tokenizer.Encode(text, pair, options);
                Assert.Equal(Math.Min(full, maxLength), truncated.Length);
                Assert.Equal(full > maxLength, truncated.WasTruncated);
                var single = tokenizer.Encode(text, options).Length;
                Assert.Equal(Math.Min(tokenizer.Encode(text).Length, maxLength), single);
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(100));
    }

    [FixtureTheory]
    [MemberData(nameof(Families))]
    public void The_ids_only_path_equals_the_full_encoding(string family)
    {
        var tokenizer = ReferenceParityTests.LoadTokenizer(family);
        Prop.ForAll(Texts(), Gen.Choose(0, 40).ToArbitrary(), Gen.Elements(true, false).ToArbitrary(), (text, limit, special) =>
            {
                var maxLength = limit == 0 ? int.MaxValue : limit;
                var expected = tokenizer.Encode(text, new EncodeOptions
                {
                    AddSpecialTokens = special,
                    Truncation = maxLength == int.MaxValue ? null : new TruncationOptions(maxLength),
                });
                var ids = new int[4 * text.Length + 8];
                var typeIds = new int[ids.Length];
                var n = tokenizer.EncodeToIds(text, ids, typeIds, maxLength, special);
                Assert.Equal(expected.Ids, ids[..n]);
                Assert.Equal(expected.TypeIds, typeIds[..n]);
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(150));
    }

    [FixtureTheory]
    [MemberData(nameof(Families))]
    public void A_megabyte_of_mixed_text_encodes(string family)
    {
        var tokenizer = ReferenceParityTests.LoadTokenizer(family);
        var builder = new StringBuilder();
        var pieces = new[] { "The quick brown fox. ", "e\u0301 ", "\uD83D\uDE00", "\uD800", "\0", " \r\n\t ", "日本語テキスト", "[CLS]", "<mask>", "    " };
        for (var i = 0; builder.Length < 1 << 20; i++) builder.Append(pieces[i % pieces.Length]);
        var text = builder.ToString();
        var encoding = tokenizer.Encode(text);
        Assert.True(encoding.Length > 100_000);
        CheckOffsets(encoding, text, null);
        var ids = new int[3 * text.Length + 16];
        Assert.Equal(encoding.Ids, ids[..tokenizer.EncodeToIds(text, ids)]);
    }

    [FixtureFact]
    public void Concurrent_encoding_gives_the_same_results_as_sequential()
    {
        var cases = ReferenceCase.Load("qwen").Where(c => c.Variant == "base").Take(120).ToArray();
        var tokenizer = ReferenceParityTests.LoadTokenizer("qwen");
        var expected = cases.Select(c => tokenizer.Encode(c.Text, c.Pair).Ids).ToArray();
        var fresh = ReferenceParityTests.LoadTokenizer("qwen");
        var results = new int[cases.Length][];
        Parallel.For(0, cases.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var c = cases[i % cases.Length];
            results[i % cases.Length] = fresh.Encode(c.Text, c.Pair).Ids;
        });
        for (var i = 0; i < cases.Length; i++) Assert.Equal(expected[i], results[i]);
    }

    private static void CheckOffsets(Encoding e, string text, string? pair)
    {
        var lastStart = new[] { 0, 0 };
        for (var i = 0; i < e.Length; i++)
        {
            var sequence = e.SequenceIds[i];
            var offset = e.Offsets[i];
            if (sequence is null)
            {
                Assert.Equal(default, offset);
                continue;
            }
            var source = sequence == 0 ? text : pair!;
            Assert.InRange(offset.Start, 0, source.Length);
            Assert.InRange(offset.End, offset.Start, source.Length);
            Assert.True(offset.Start >= lastStart[sequence.Value], $"token {i} starts at {offset.Start}, before {lastStart[sequence.Value]}");
            lastStart[sequence.Value] = offset.Start;
        }
    }

    /// <summary>Strings mixing arbitrary UTF-16 units (lone surrogates included), NUL, controls, combining marks,
    /// astral characters, whitespace runs and literal special tokens.</summary>
    private static Arbitrary<string> Texts()
    {
        var unit = Gen.Choose(0, 0xFFFF).Select(c => ((char)c).ToString());
        var ascii = Gen.Choose(0x20, 0x7E).Select(c => ((char)c).ToString());
        var special = Gen.Elements("\0", "\u0007", "\u001B", "\u007F", "\u0085", "\u00A0", "\u200B", "\uFEFF", "\u3000", "\r\n", "\r",
            "\t", "e\u0301", "A\u030A", "\u0301\u0301", "\u0130", "\uD83D", "\uDE00", "\uD83D\uDE00", "\uD835\uDC00", "\uD83D\uDC68\u200D\uD83D\uDC69",
            "日本", "한국어", "Привет", "مرحبا", "[CLS]", "[SEP]", "[MASK]", "<s>", "</s>", "<mask>", "<unk>", "<|endoftext|>",
            "<extra_id_0>", "|||IP_ADDRESS|||", "   ", "          ", "'s", "'LL", "123456", "ﬁ", "①", "Ａ");
        var piece = Gen.Frequency((3, ascii), (2, unit), (3, special));
        return Gen.Choose(0, 60).SelectMany(n => piece.ListOf(n)).Select(parts => string.Concat(parts)).ToArbitrary();
    }
}
