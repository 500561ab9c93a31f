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
/// ids are compared with this project's (which match Hugging Face tokenizers on the fixtures); a faster
/// tokenizer that disagrees does not count, so the agreement is printed beside its speed.
/// Usage: <c>wordpiece [--family bert-uncased] [--texts 3200] [--rounds 15]</c>.
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
        var lowercase = LowercaseOf(file);
        var ml = MlBert.Create(VocabStream(file), new MlBertOptions { LowerCaseBeforeTokenization = lowercase, RemoveNonSpacingMarks = lowercase });

        var longest = texts.Max(t => t.Length);
        var ids = new int[3 * longest + 16];
        var longIds = new long[3 * longest + 16];
        var mask = new long[longIds.Length];

        // Agreement, text by text, with the ids this project writes (special tokens included).
        int fastAgree = 0, mlAgree = 0, fullAgree = 0;
        foreach (var t in texts)
        {
            var n = ours.EncodeToIds(t, ids);
            var expected = ids.AsSpan(0, n);
            if (expected.SequenceEqual(ours.Encode(t).Ids)) fullAgree++;
            var m = fast.Encode(t, longIds, mask);
            if (SameIds(expected, longIds.AsSpan(0, m))) fastAgree++;
            else if (Environment.GetEnvironmentVariable("WP_DIAG") is not null) Console.Error.WriteLine($"{n} {m}\n{string.Join(' ', expected.ToArray().Select(i => ours.IdToToken(i)))}\n{string.Join(' ', longIds[..m].Select(i => ours.IdToToken((int)i)))}\n");
            if (expected.SequenceEqual(ml.EncodeToIds(t, addSpecialTokens: true).ToArray())) mlAgree++;
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
        Console.WriteLine("| tokenizer | median MB/s | min–max MB/s | ids identical to this project's |");
        Console.WriteLine("|---|---:|---:|---:|");
        var agreement = new[] { "—", $"{fastAgree}/{texts.Length}", $"{fullAgree}/{texts.Length}", $"{mlAgree}/{texts.Length}" };
        for (var j = 0; j < contenders.Length; j++)
        {
            var s = seconds[j];
            Console.WriteLine($"| {contenders[j].Name} | {bytes / Median(s) / 1e6:F2} | {bytes / s.Max() / 1e6:F2}–{bytes / s.Min() / 1e6:F2} | {agreement[j]} |");
        }
        Console.WriteLine($"EncodeToIds / FastBertTokenizer: median of per-round ratios {ratio:F2}x; ids identical on {fastAgree} of {texts.Length} texts");
        return fullAgree == texts.Length ? 0 : 1;
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
