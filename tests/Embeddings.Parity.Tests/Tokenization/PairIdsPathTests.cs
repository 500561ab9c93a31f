using System.Text.Json;
using Embeddings.TestModels;
using Embeddings.Tokenization;

namespace Embeddings.Core.Tests.Tokenization;

/// <summary>
/// The ids-only pair path (cross-encoder inputs) must give exactly the ids and type ids of the full pair Encode with
/// special tokens and longest_first truncation, on every fixture tokenizer: empty texts on either side, long texts on
/// either or both sides (where which side counts as longer decides an odd token), limits smaller than the special
/// tokens, both truncation sides, and no truncation.
/// </summary>
public sealed class PairIdsPathTests
{
    public static TheoryData<string> Families() => ReferenceParityTests.Families();

    private static readonly int?[] Limits = [null, 512, 128, 33, 16, 7, 6, 4, 3, 1, 0];

    [FixtureTheory]
    [MemberData(nameof(Families))]
    public void Pairs_get_the_full_encodings_ids_and_type_ids(string family)
    {
        var tokenizer = ReferenceParityTests.LoadTokenizer(family);
        var texts = Texts(family);
        var compared = 0;
        foreach (var first in texts)
            foreach (var second in texts)
                foreach (var limit in Limits)
                    foreach (var direction in new[] { SequenceSide.Right, SequenceSide.Left })
                    {
                        if (limit is null && direction == SequenceSide.Left) continue;
                        if (!tokenizer.TryEncodePairToIds(first, second, limit, direction, out var ids, out var typeIds)) continue;
                        var options = new EncodeOptions
                        {
                            AddSpecialTokens = true,
                            Truncation = limit is { } max ? new TruncationOptions(max, PairTruncationStrategy.LongestFirst, direction) : null,
                        };
                        var expected = tokenizer.Encode(first, second, options);
                        var what = $"{family}, limit {limit?.ToString() ?? "none"} {direction}, \"{Short(first)}\" / \"{Short(second)}\"";
                        Assert.True(expected.Ids.AsSpan().SequenceEqual(ids), $"ids differ: {what}");
                        Assert.True(expected.TypeIds.AsSpan().SequenceEqual(typeIds), $"type ids differ: {what}");
                        compared++;
                    }
        // Every fixture tokenizer's pair output has the prefix-A-middle-B-suffix shape, so the path must run for all of them.
        Assert.Equal(texts.Count * texts.Count * (2 * Limits.Length - 1), compared);
    }

    [FixtureFact]
    public void The_cross_encoder_fixtures_pair_ids_come_from_the_ids_path()
    {
        var folder = Embeddings.Models.ModelFolder.Open(Fixtures.ModelDir("cross-encoder-tiny"));
        var tokenizer = Tokenizer.FromFile(Path.Combine(folder.Directory, "tokenizer.json"));
        var refs = File.ReadLines(Path.Combine(Fixtures.ModelDir("cross-encoder-tiny"), "refs.jsonl"))
            .Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => r.TryGetProperty("input_ids", out _) && r.GetProperty("document").GetString()!.Length > 0).ToArray();
        Assert.NotEmpty(refs);
        foreach (var r in refs)
        {
            Assert.True(tokenizer.TryEncodePairToIds(r.GetProperty("query").GetString()!, r.GetProperty("document").GetString()!,
                folder.MaxSequenceLength, SequenceSide.Right, out var ids, out _));
            Assert.Equal(r.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()), ids);
        }
    }

    private static string Short(string text) => text.Length <= 40 ? text : text[..40] + "…";

    // The fixture's own texts (pairs included), the empty text, and long texts made of corpus passages.
    private static List<string> Texts(string family)
    {
        var cases = ReferenceCase.Load(family);
        var texts = cases.Select(c => c.Text).Concat(cases.Where(c => c.Pair is not null).Select(c => c.Pair!))
            .Where(t => t.Length < 2000).Distinct().Take(12).ToList();
        var passages = Directory.GetFiles(Fixtures.CorpusDir, "*.jsonl").Order(StringComparer.Ordinal).Take(3)
            .SelectMany(f => File.ReadLines(f, System.Text.Encoding.UTF8).Where(l => l.Length > 0).Take(40))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!).ToList();
        texts.Add("");
        texts.Add(passages[0]);
        texts.Add(string.Join(' ', passages.Take(20)));
        texts.Add(string.Join(' ', passages.Skip(20).Take(60)));
        return texts;
    }
}
