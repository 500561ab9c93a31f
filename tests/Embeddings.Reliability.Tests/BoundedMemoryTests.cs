using Embeddings.Reliability.Tests.Support;
using Embeddings.TestModels;
using Embeddings.Tokenization;

namespace Embeddings.Reliability.Tests;

/// <summary>
/// A long text costs what truncation keeps, not its length (docs/reliability.md, "Resources"): encoding an
/// 8-million-character text truncated to 512 tokens allocates a few megabytes, where normalizing and pre-tokenizing
/// all of it took about 100 bytes per character (the 28 MB text of the report cost 3 GB).
/// </summary>
public sealed class BoundedMemoryTests(FixtureEmbedders models) : IClassFixture<FixtureEmbedders>
{
    private const int Characters = 8_000_000;

    // The kept 512 tokens, their strings and offsets, and the window's scratch (about 100 bytes per unit of a window
    // of 16 units per token), with room to spare; the whole-text path allocated more than 800 MB here.
    private const long AllocationBound = 32L << 20;

    public static TheoryData<string> Families() => new(Fixtures.Available ? Fixtures.TokenizerNames() : ["bert-uncased"]);

    [FixtureTheory]
    [MemberData(nameof(Families))]
    public void Truncating_a_long_text_allocates_in_proportion_to_what_is_kept(string family)
    {
        var tokenizer = Tokenizer.FromFile(Path.Combine(Fixtures.TokenizerDir(family), "tokenizer.json"));
        var text = LongText();
        var ids = new int[600];
        tokenizer.EncodeToIds(text.AsSpan(0, 1000), ids, 512); // warm up the JIT and per-thread buffers

        foreach (var direction in (SequenceSide[])[SequenceSide.Right, SequenceSide.Left])
        {
            var options = new EncodeOptions { Truncation = new TruncationOptions(512, PairTruncationStrategy.LongestFirst, direction) };
            var before = GC.GetAllocatedBytesForCurrentThread();
            var encoding = tokenizer.Encode(text, options);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(512, encoding.Length);
            Assert.True(allocated < AllocationBound, $"{family} {direction}: {allocated:N0} bytes allocated for 512 tokens");
        }

        var beforeIds = GC.GetAllocatedBytesForCurrentThread();
        var count = tokenizer.EncodeToIds(text, ids, 512);
        var allocatedIds = GC.GetAllocatedBytesForCurrentThread() - beforeIds;
        Assert.Equal(512, count);
        Assert.True(allocatedIds < AllocationBound, $"{family} ids only: {allocatedIds:N0} bytes allocated for 512 ids");
    }

    // One word of millions of letters has no piece boundary near its kept end; WordPiece tokenizers (BERT here) find
    // the word's end by scanning instead of processing it (docs/reliability.md lists the tokenizers that cannot).
    [FixtureFact]
    public void Truncating_one_huge_word_allocates_in_proportion_to_what_is_kept()
    {
        var tokenizer = Tokenizer.FromFile(Path.Combine(Fixtures.TokenizerDir("bert-uncased"), "tokenizer.json"));
        var text = new string('a', Characters);
        var ids = new int[600];
        tokenizer.EncodeToIds("warm up", ids, 512);

        foreach (var direction in (SequenceSide[])[SequenceSide.Right, SequenceSide.Left])
        {
            var options = new EncodeOptions { Truncation = new TruncationOptions(512, PairTruncationStrategy.LongestFirst, direction) };
            var before = GC.GetAllocatedBytesForCurrentThread();
            var encoding = tokenizer.Encode(text, options);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(3, encoding.Length); // [CLS] [UNK] [SEP]
            Assert.Equal(new TokenOffset(0, Characters), encoding.Offsets[1]);
            Assert.True(allocated < AllocationBound, $"{direction}: {allocated:N0} bytes allocated for one word");
        }

        var beforeIds = GC.GetAllocatedBytesForCurrentThread();
        var count = tokenizer.EncodeToIds(text, ids, 512);
        var allocatedIds = GC.GetAllocatedBytesForCurrentThread() - beforeIds;
        Assert.Equal(3, count);
        Assert.True(allocatedIds < AllocationBound, $"ids only: {allocatedIds:N0} bytes allocated for one word");
    }

    [FixtureFact]
    public void Embedding_a_long_text_allocates_in_proportion_to_what_is_kept()
    {
        var text = LongText();
        models.Bert.Embed(["warm up"]);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = models.Bert.Embed([text]);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal([0], result.TruncatedIndexes);
        Assert.True(allocated < AllocationBound, $"{allocated:N0} bytes allocated to embed 512 tokens of an {Characters:N0}-character text");
    }

    private static string LongText()
    {
        var passages = CorpusTexts.Read("jargon.en.jsonl", 50);
        var builder = new System.Text.StringBuilder(Characters + 10_000);
        for (var i = 0; builder.Length < Characters; i++) builder.Append(passages[i % passages.Length]).Append('\n');
        return builder.ToString(0, Characters);
    }
}
