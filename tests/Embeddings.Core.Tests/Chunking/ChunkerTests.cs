using Embeddings.Chunking;

namespace Embeddings.Core.Tests.Chunking;

public class ChunkerTests
{
    private static string[] Sentences(string text) =>
        SentenceChunker.Instance.Chunk(text, []).Select(s => s.TextOf(text)).ToArray();

    [Fact]
    public void Splits_latin_sentences_and_keeps_closers()
    {
        Assert.Equal(["Hello world.", "How are you?", "\"Fine!\"", "Bye"],
            Sentences("Hello world. How are you?  \"Fine!\"\nBye"));
    }

    [Fact]
    public void Does_not_split_abbreviations_initials_numbers_or_lowercase_continuations()
    {
        Assert.Equal(["Dr. Smith met J. R. Tolkien at 3.30 p.m. on Monday.", "Then e.g. this ends."],
            Sentences("Dr. Smith met J. R. Tolkien at 3.30 p.m. on Monday. Then e.g. this ends."));
    }

    [Fact]
    public void Splits_cjk_and_other_scripts_without_spaces()
    {
        Assert.Equal(["机器学习是人工智能的一个分支。", "它让计算机学习！", "本当？"], Sentences("机器学习是人工智能的一个分支。它让计算机学习！本当？"));
        Assert.Equal(["هل أنت بخير؟", "نعم."], Sentences("هل أنت بخير؟ نعم."));
        Assert.Equal(["यह एक वाक्य है।", "दूसरा।"], Sentences("यह एक वाक्य है। दूसरा।"));
        Assert.Equal(["「はい。」", "次"], Sentences("「はい。」次"));
    }

    [Fact]
    public void Blank_lines_end_sentences_and_spans_are_trimmed_in_order()
    {
        string text = "  A heading\n\nSome text without a stop\n\n   ";
        var spans = SentenceChunker.Instance.Chunk(text, []);
        Assert.Equal(["A heading", "Some text without a stop"], spans.Select(s => s.TextOf(text)));
        for (int i = 1; i < spans.Count; i++) Assert.True(spans[i].Start >= spans[i - 1].End);
        Assert.Empty(SentenceChunker.Instance.Chunk("   \n ", []));
        Assert.Empty(SentenceChunker.Instance.Chunk("", []));
    }

    [Fact]
    public void Token_windows_group_tokens_and_never_overlap()
    {
        string text = "aa bb cc dd ee";
        ChunkSpan[] tokens = [new(0, 2), new(3, 5), new(6, 8), new(9, 11), new(12, 14)];
        var spans = new TokenWindowChunker(2).Chunk(text, tokens);
        Assert.Equal([new(0, 5), new(6, 11), new(12, 14)], spans);
        // Two byte-level pieces of one character share its span; the cut moves past them.
        ChunkSpan[] shared = [new(0, 1), new(1, 2), new(1, 2), new(2, 3)];
        var cut = new TokenWindowChunker(2).Chunk("abc", shared);
        Assert.Equal([new(0, 2), new(2, 3)], cut);
    }

    [Fact]
    public void Caller_spans_are_checked()
    {
        var error = Assert.Throws<ArgumentException>(() => new SpanChunker([new(0, 5), new(3, 8)]));
        Assert.Contains("[3, 8)", error.Message);
        Assert.Equal(2, new SpanChunker([new(3, 8), new(0, 5)], allowOverlap: true).Chunk("0123456789", []).Count);
        Assert.Throws<ArgumentException>(() => new SpanChunker([new(4, 4)]));
        var outside = Assert.Throws<ArgumentException>(() => new SpanChunker([new(0, 20)]).Chunk("short", []));
        Assert.Contains("[0, 20)", outside.Message);
    }

    [Fact]
    public void Tokens_map_to_the_chunks_that_contain_them()
    {
        string text = "One two. Three four.";
        ChunkSpan[] tokens = [new(0, 3), new(3, 7), new(7, 8), new(8, 14), new(15, 19), new(19, 20)]; // " two", " Three" carry a space
        ChunkSpan[] chunks = [new(0, 8), new(9, 20)];
        var map = ChunkTokens.Map(text, tokens, chunks);
        Assert.Equal([0, 1, 2], map[0]);
        Assert.Equal([3, 4, 5], map[1]);
        var overlapping = ChunkTokens.Map(text, tokens, [new(0, 20), new(9, 14)]);
        Assert.Equal([0, 1, 2, 3, 4, 5], overlapping[0]);
        Assert.Equal([3], overlapping[1]);
    }
}
