using Embeddings.TestModels;
using Embeddings.Tokenization.Normalizers;
using Embeddings.Tokenization.Text;

namespace Embeddings.Core.Tests.Tokenization;

/// <summary>Normalizers: the text they produce and how each output unit stays aligned with the input.</summary>
public sealed class NormalizerTests
{
    private static readonly BertNormalizer BertUncased = new(cleanText: true, handleChineseChars: true, stripAccents: null, lowercase: true);

    [Fact]
    public void Bert_cleans_strips_accents_and_lowercases_keeping_alignments()
    {
        var (text, alignments) = Probe.Normalize(BertUncased, "H\u00E9llo\tWORLD\0!");
        Assert.Equal("hello world!", text);
        Assert.Equal((1, 2), alignments[1]);   // e from é
        Assert.Equal((5, 6), alignments[5]);   // the tab, now a space
        Assert.Equal((12, 13), alignments[11]); // ! after the removed NUL
    }

    [Fact]
    public void Bert_strip_accents_follows_lowercase_when_unset()
    {
        var cased = new BertNormalizer(cleanText: true, handleChineseChars: true, stripAccents: null, lowercase: false);
        Assert.Equal("H\u00E9llo", Probe.Normalize(cased, "H\u00E9llo").Text);
        var stripped = new BertNormalizer(cleanText: true, handleChineseChars: true, stripAccents: true, lowercase: false);
        Assert.Equal("Hello", Probe.Normalize(stripped, "H\u00E9llo").Text);
    }

    [Fact]
    public void Bert_surrounds_cjk_ideographs_with_spaces_aligned_to_the_ideograph()
    {
        var (text, alignments) = Probe.Normalize(BertUncased, "ab\u4E2Dc");
        Assert.Equal("ab \u4E2D c", text);
        Assert.Equal([(0, 1), (1, 2), (2, 3), (2, 3), (2, 3), (3, 4)], alignments);
    }

    [Fact]
    public void Bert_drops_format_and_replacement_characters_by_unicode_8_categories()
    {
        Assert.Equal("abcd", Probe.Normalize(BertUncased, "a\u200Bb\u00ADc\uFFFDd").Text);
        Assert.Equal("ab", Probe.Normalize(BertUncased, "a\uE001\uDBFF\uDC00b").Text); // private use, BMP and plane 16
        // U+0890 became a format character in Unicode 14; the reference's tables predate it, so it stays.
        Assert.Equal("a\u0890b", Probe.Normalize(BertUncased, "a\u0890b").Text);
    }

    [Fact]
    public void Nfc_composes_and_aligns_the_composite_with_the_first_code_point()
    {
        var (text, alignments) = Probe.Normalize(new NfcNormalizer(), "xe\u0301y");
        Assert.Equal("x\u00E9y", text);
        Assert.Equal([(0, 1), (1, 2), (3, 4)], alignments);
    }

    [Fact]
    public void Nfc_recomposes_hangul_jamo()
    {
        var (text, alignments) = Probe.Normalize(new NfcNormalizer(), "\u1112\u1161\u11AB");
        Assert.Equal("\uD55C", text);
        Assert.Equal([(0, 1)], alignments);
    }

    [Fact]
    public void Nfd_decomposes_every_part_aligned_with_its_source()
    {
        var (text, alignments) = Probe.Normalize(new NfdNormalizer(), "\u00E9\uD55C");
        Assert.Equal("e\u0301\u1112\u1161\u11AB", text);
        Assert.Equal([(0, 1), (0, 1), (1, 2), (1, 2), (1, 2)], alignments);
    }

    [Fact]
    public void Nfd_reorders_marks_while_alignments_stay_in_place()
    {
        var (text, alignments) = Probe.Normalize(new NfdNormalizer(), "a\u0301\u0316");
        Assert.Equal("a\u0316\u0301", text);
        Assert.Equal([(0, 1), (1, 2), (2, 3)], alignments);
    }

    [Fact]
    public void Compatibility_forms_expand_ligatures_and_circled_digits()
    {
        var (kc, alignments) = Probe.Normalize(new NfkcNormalizer(), "\uFB01\u2460");
        Assert.Equal("fi1", kc);
        Assert.Equal([(0, 1), (0, 1), (1, 2)], alignments);
        Assert.Equal("A\u030A", Probe.Normalize(new NfkdNormalizer(), "\u212B").Text);
    }

    [Theory]
    [InlineData("C")]
    [InlineData("D")]
    [InlineData("KC")]
    [InlineData("KD")]
    public void Characters_reported_stable_are_left_unchanged_by_the_full_algorithm(string formName)
    {
        var form = Enum.Parse<NormalizationForm>(formName);
        // Normalization is skipped for text made only of "stable" characters; check that claim on every BMP
        // character, doubled and between neighbours.
        var failures = new List<string>();
        for (var c = 0; c < 0x10000; c++)
        {
            if (char.IsSurrogate((char)c) || !UnicodeNormalization.IsStableCharacter(c, form)) continue;
            var text = $"a{(char)c}{(char)c}a";
            var (result, alignments) = NormalizeFully(text, form);
            if (result != text || !alignments.SequenceEqual([(0, 1), (1, 2), (2, 3), (3, 4)])) failures.Add($"U+{c:X4}");
        }
        Assert.Empty(failures);
        Assert.True(UnicodeNormalization.IsStableCharacter('a', form));
    }

    private static void Expect((string Text, (int, int)[] Alignments) actual, string text, (int, int)[] alignments)
    {
        Assert.Equal(text, actual.Text);
        Assert.Equal(alignments, actual.Alignments);
    }

    private static (string, (int, int)[]) NormalizeFully(string text, NormalizationForm form)
    {
        var s = new PreTokenizedString();
        s.Reset(text);
        UnicodeNormalization.ApplyFull(s.Normalized(0), form);
        ref var piece = ref s[0];
        var alignments = new (int, int)[piece.Length];
        for (var i = 0; i < piece.Length; i++) alignments[i] = (s.AlignStart[piece.Start + i], s.AlignEnd[piece.Start + i]);
        return (s.Text(0).ToString(), alignments);
    }

    [Fact]
    public void Lowercase_expands_dotted_capital_i()
    {
        var (text, alignments) = Probe.Normalize(new LowercaseNormalizer(), "\u0130X");
        Assert.Equal("i\u0307x", text);
        Assert.Equal([(0, 1), (0, 1), (1, 2)], alignments);
    }

    [Fact]
    public void Strip_removes_whitespace_on_the_requested_sides()
    {
        Expect(Probe.Normalize(new StripNormalizer(true, true), "  hi \t"), "hi", [(2, 3), (3, 4)]);
        Assert.Equal("hi \t", Probe.Normalize(new StripNormalizer(true, false), "  hi \t").Text);
        Assert.Equal("  hi", Probe.Normalize(new StripNormalizer(false, true), "  hi \t").Text);
    }

    [Fact]
    public void Replace_aligns_the_replacement_with_the_end_of_each_match()
    {
        var regex = new ReplaceNormalizer(TextPattern.FromRegex(@"\s+", default), "_");
        Expect(Probe.Normalize(regex, "a  b c"), "a_b_c", [(0, 1), (2, 3), (3, 4), (4, 5), (5, 6)]);
        var literal = new ReplaceNormalizer(new LiteralPattern("ab"), "");
        Assert.Equal("cd", Probe.Normalize(literal, "abcabd").Text);
    }

    [Fact]
    public void Prepend_aligns_the_prefix_with_the_first_character()
    {
        Expect(Probe.Normalize(new PrependNormalizer("\u2581"), "hi"), "\u2581hi", [(0, 1), (0, 1), (1, 2)]);
        Assert.Equal("", Probe.Normalize(new PrependNormalizer("\u2581"), "").Text);
    }

    [Fact]
    public void Sequence_applies_in_order()
    {
        var sequence = new SequenceNormalizer([new NfdNormalizer(), new StripAccentsNormalizer(), new LowercaseNormalizer()]);
        Assert.Equal("ab", Probe.Normalize(sequence, "\u00C3B").Text);
    }

    [Fact]
    public void Nmt_drops_controls_and_maps_separators_to_spaces()
    {
        Assert.Equal("ab c d", Probe.Normalize(new NmtNormalizer(), "a\u0001b\u200Bc\u2581d").Text);
    }

    [Fact]
    public void Byte_level_maps_each_utf8_byte_aligned_with_its_character()
    {
        Expect(Probe.Normalize(new ByteLevelNormalizer(), "a\u00E9 "), "a\u00C3\u00A9\u0120", [(0, 1), (1, 2), (1, 2), (2, 3)]);
    }

    [FixtureFact]
    public void Precompiled_charsmap_maps_full_width_and_ligatures()
    {
        var t5 = ReferenceParityTests.LoadTokenizer("t5");
        var precompiled = Assert.IsType<PrecompiledNormalizer>(t5.Normalizer);
        var (text, alignments) = Probe.Normalize(precompiled, "\uFF21\uFB01x");
        Assert.Equal("Afix", text);
        Assert.Equal([(0, 1), (1, 2), (1, 2), (2, 3)], alignments);
        Assert.Equal("plain ascii text", Probe.Normalize(precompiled, "plain ascii text").Text);
    }
}
