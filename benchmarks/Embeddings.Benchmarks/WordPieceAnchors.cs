using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Embeddings.TestModels;
using Embeddings.Tokenization;
using FastBert = FastBertTokenizer.BertTokenizer;
using MlBert = Microsoft.ML.Tokenizers.BertTokenizer;
using MlBertOptions = Microsoft.ML.Tokenizers.BertOptions;

namespace Embeddings.Benchmarks;

/// <summary>
/// The WordPiece head-to-head: this project's tokenizer against FastBertTokenizer and Microsoft.ML.Tokenizers'
/// BertTokenizer on one thread, in one process, in interleaved rounds (every round times each contender once,
/// in a rotating order, so load on a shared machine falls on all of them alike). Before timing, every text's
/// ids are compared with Hugging Face tokenizers' (from <c>--hf-ids</c>, written by
/// benchmarks/compare/tokenizers/reference-ids.mjs) or else with this project's full encoding; a faster
/// tokenizer that disagrees does not count, so the agreement is printed beside its speed.
/// Usage: <c>wordpiece [--family bert-uncased] [--texts 3200] [--rounds 15] [--hf-ids FILE]</c>; the exit code is 1
/// when this project's ids differ from the reference on any text.
/// </summary>
internal static class WordPieceAnchors
{
    public static int Run(string[] args)
    {
        var family = Option(args, "--family", "bert-uncased");
        var count = int.Parse(Option(args, "--texts", "3200"), CultureInfo.InvariantCulture);
        var rounds = int.Parse(Option(args, "--rounds", "15"), CultureInfo.InvariantCulture);
        var file = Path.Combine(Fixtures.TokenizerDir(family), "tokenizer.json");

        var texts = CorpusSample.Take(count);
        var bytes = texts.Sum(t => (long)System.Text.Encoding.UTF8.GetByteCount(t));
        var ours = Tokenizer.FromFile(file);
        var fast = new FastBert();
        fast.LoadTokenizerJsonAsync(file).GetAwaiter().GetResult();
        var ml = LoadMl(file);

        var longest = texts.Max(t => t.Length);
        var ids = new int[3 * longest + 16];
        var longIds = new long[3 * longest + 16];
        var mask = new long[longIds.Length];

        // Agreement, text by text, with Hugging Face tokenizers' ids when given (benchmarks/compare/tokenizers/
        // reference-ids.mjs writes them for the same sample), else with this project's full encoding.
        var hfFile = Option(args, "--hf-ids", "");
        var reference = hfFile.Length > 0
            ? File.ReadLines(hfFile).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<int[]>(l)!).ToArray()
            : texts.Select(t => ours.Encode(t).Ids).ToArray();
        if (reference.Length != texts.Length) throw new ArgumentException($"{hfFile} has {reference.Length} lines for {texts.Length} texts.");
        var referenceName = hfFile.Length > 0 ? "Hugging Face tokenizers" : "this project's Encode";
        var agree = new int[4];
        for (var i = 0; i < texts.Length; i++)
        {
            var t = texts[i];
            var expected = reference[i].AsSpan();
            if (expected.SequenceEqual(ids.AsSpan(0, ours.EncodeToIds(t, ids)))) agree[0]++;
            if (SameIds(expected, longIds.AsSpan(0, fast.Encode(t, longIds, mask)))) agree[1]++;
            if (expected.SequenceEqual(ours.Encode(t).Ids)) agree[2]++;
            if (expected.SequenceEqual(ml.EncodeToIds(t, addSpecialTokens: true).ToArray())) agree[3]++;
        }

        var contenders = new (string Name, Func<long> Pass)[]
        {
            ("this project EncodeToIds", () => { long k = 0; foreach (var t in texts) k += ours.EncodeToIds(t, ids); return k; }),
            ("FastBertTokenizer Encode", () => { long k = 0; foreach (var t in texts) k += fast.Encode(t, longIds, mask); return k; }),
            ("this project Encode (offsets)", () => { long k = 0; foreach (var t in texts) k += ours.Encode(t).Length; return k; }),
            ("Microsoft.ML.Tokenizers EncodeToIds", () => { long k = 0; foreach (var t in texts) k += ml.EncodeToIds(t, addSpecialTokens: true).Count; return k; }),
        };
        var seconds = contenders.Select(_ => new List<double>()).ToArray();
        foreach (var c in contenders) c.Pass(); // warm-up (JIT tiers, caches)
        for (var r = 0; r < rounds; r++)
            for (var j = 0; j < contenders.Length; j++)
            {
                var k = (j + r) % contenders.Length;
                var watch = Stopwatch.StartNew();
                contenders[k].Pass();
                seconds[k].Add(watch.Elapsed.TotalSeconds);
            }

        // Ratios are taken round by round (same load), then the median of those.
        var ratio = Median(seconds[1].Zip(seconds[0], (f, o) => f / o).ToList());
        Console.WriteLine($"{family}: {texts.Length} corpus passages, {bytes / 1e6:F2} MB UTF-8, {rounds} interleaved rounds, one thread");
        Console.WriteLine($"| tokenizer | median MB/s | min–max MB/s | ids identical to {referenceName} |");
        Console.WriteLine("|---|---:|---:|---:|");
        for (var j = 0; j < contenders.Length; j++)
        {
            var s = seconds[j];
            Console.WriteLine($"| {contenders[j].Name} | {bytes / Median(s) / 1e6:F2} | {bytes / s.Max() / 1e6:F2}–{bytes / s.Min() / 1e6:F2} | {agree[j]}/{texts.Length} |");
        }
        Console.WriteLine($"EncodeToIds / FastBertTokenizer: median of per-round ratios {ratio:F2}x");
        return agree[0] == texts.Length && agree[2] == texts.Length ? 0 : 1;
    }

    private static bool SameIds(ReadOnlySpan<int> a, ReadOnlySpan<long> b)
    {
        if (a.Length != b.Length) return false;
        for (var i = 0; i < a.Length; i++)
            if (a[i] != b[i]) return false;
        return true;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    /// <summary>Microsoft.ML.Tokenizers' BertTokenizer for the vocabulary and casing of a BERT tokenizer.json.</summary>
    internal static MlBert LoadMl(string tokenizerJson)
    {
        var lowercase = LowercaseOf(tokenizerJson);
        return MlBert.Create(VocabStream(tokenizerJson), new MlBertOptions { LowerCaseBeforeTokenization = lowercase, RemoveNonSpacingMarks = lowercase });
    }

    private static bool LowercaseOf(string tokenizerJson)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(tokenizerJson));
        return doc.RootElement.GetProperty("normalizer").TryGetProperty("lowercase", out var l) && l.GetBoolean();
    }

    /// <summary>Microsoft.ML.Tokenizers reads vocab.txt (one token per line, id = line), written here from tokenizer.json.</summary>
    internal static Stream VocabStream(string tokenizerJson)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(tokenizerJson));
        var vocab = doc.RootElement.GetProperty("model").GetProperty("vocab").EnumerateObject()
            .OrderBy(p => p.Value.GetInt32()).Select(p => p.Name);
        return new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', vocab) + "\n"));
    }
}
