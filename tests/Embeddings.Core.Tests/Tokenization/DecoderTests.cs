using Embeddings.Tokenization.Decoders;
using Embeddings.Tokenization.PreTokenizers;
using Embeddings.Tokenization.Text;

namespace Embeddings.Core.Tests.Tokenization;

/// <summary>Decoders, alone and chained, and how Tokenizer.Decode picks tokens.</summary>
public sealed class DecoderTests
{
    [Fact]
    public void Word_piece_joins_pieces_and_cleans_up_token_by_token()
    {
        var d = new WordPieceDecoder("##", cleanup: true);
        Assert.Equal("helloworld, don ' t do not!", d.Decode(["hello", "##world", ",", "don", "'", "t", "do", "not", "!"]));
        Assert.Equal("hello world , x", new WordPieceDecoder("##", cleanup: false).Decode(["hello", "world", ",", "x"]));
    }

    [Fact]
    public void Byte_level_turns_the_alphabet_back_into_utf8()
    {
        Assert.Equal("Hello world\u00E9 <mask>", new ByteLevelDecoder().Decode(["Hello", "\u0120world", "\u00C3\u00A9", " <mask>"]));
        Assert.Equal("\uFFFD", new ByteLevelDecoder().Decode(["\u00C3"]));
    }

    [Fact]
    public void Metaspace_turns_replacements_into_spaces_except_a_leading_one()
    {
        Assert.Equal("Hey friend", new MetaspaceDecoder("\u2581", PrependScheme.Always).Decode(["\u2581Hey", "\u2581friend"]));
        Assert.Equal(" Hey friend", new MetaspaceDecoder("\u2581", PrependScheme.Never).Decode(["\u2581Hey", "\u2581friend"]));
    }

    [Fact]
    public void Bpe_decoder_turns_suffixes_into_spaces()
    {
        Assert.Equal("hello world", new BpeDecoder("</w>").Decode(["hel", "lo</w>", "wor", "ld</w>"]));
    }

    [Fact]
    public void Byte_fallback_decodes_byte_tokens_or_marks_invalid_bytes()
    {
        Assert.Equal("ab\u00E9c", new ByteFallbackDecoder().Decode(["<0x61>", "b", "<0xC3>", "<0xA9>", "c"]));
        // A run of byte tokens that is not valid UTF-8 becomes one U+FFFD per byte.
        Assert.Equal("b\uFFFD\uFFFD\uFFFDc", new ByteFallbackDecoder().Decode(["b", "<0xC3>", "<0xA9>", "<0xFF>", "c"]));
        Assert.Equal(["\uFFFD", "\uFFFD"], new ByteFallbackDecoder().DecodeChain(["<0xC3>", "<0x28>"]));
    }

    [Fact]
    public void Strip_fuse_and_replace_compose_into_the_llama_decoder()
    {
        var llama = new SequenceDecoder([
            new ReplaceDecoder(new LiteralPattern("\u2581"), " "), new ByteFallbackDecoder(), new FuseDecoder(), new StripDecoder(" ", 1, 0)]);
        Assert.Equal("Hello world!", llama.Decode(["\u2581Hello", "\u2581world", "<0x21>"]));
        Assert.Equal(["\u2581a", "b"], new StripDecoder("\u2581", 1, 0).DecodeChain(["\u2581\u2581a", "\u2581b"]));
        Assert.Equal(["a"], new StripDecoder("x", 0, 2).DecodeChain(["axx"]));
    }

    [Fact]
    public void Ctc_collapses_repeats_and_drops_padding()
    {
        Assert.Equal("hello w", new CtcDecoder("<pad>", "|", cleanup: true).Decode(
            ["<pad>", "h", "h", "e", "<pad>", "l", "l", "<pad>", "l", "o", "|", "w"]));
    }

    [Fact]
    public void Tokenizer_decode_skips_special_and_unknown_ids()
    {
        var t = Probe.Tokenizer(Probe.WordLevel("[UNK]", "hello", "world", "[CLS]"), preTokenizer: """{"type": "WhitespaceSplit"}""",
            addedTokens: """[{"id": 3, "content": "[CLS]", "special": true}]""");
        Assert.Equal("hello world", t.Decode([3, 1, 2, 99]));
        Assert.Equal("[CLS] hello world", t.Decode([3, 1, 2], skipSpecialTokens: false));
    }
}
