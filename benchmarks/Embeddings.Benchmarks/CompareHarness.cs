using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Embeddings.Tokenization;

namespace Embeddings.Benchmarks;

/// <summary>
/// Times this project's tokenizer on one thread over JSON Lines corpus files, for the side-by-side comparison
/// with Hugging Face tokenizers. Prints one JSON object: the best of several runs.
/// Usage: compare TOKENIZER_JSON MODE RUNS FILE..., where MODE is encode (full encodings) or ids (ids only).
/// </summary>
internal static class CompareHarness
{
    public static int Run(string[] args)
    {
        if (args.Length < 4)
        {
            Console.Error.WriteLine("usage: compare TOKENIZER_JSON encode|ids RUNS FILE...");
            return 2;
        }
        var tokenizer = Tokenizer.FromFile(args[0]);
        var mode = args[1];
        var runs = int.Parse(args[2], CultureInfo.InvariantCulture);
        var texts = args[3..].SelectMany(File.ReadLines).Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!).ToArray();
        var bytes = texts.Sum(t => (long)System.Text.Encoding.UTF8.GetByteCount(t));

        long tokens = 0;
        var best = double.MaxValue;
        for (var r = 0; r <= runs; r++)
        {
            var watch = Stopwatch.StartNew();
            tokens = mode == "ids" ? CountIds(tokenizer, texts) : CountEncode(tokenizer, texts);
            var seconds = watch.Elapsed.TotalSeconds;
            if (r > 0) best = Math.Min(best, seconds); // run 0 warms up
        }
        Console.WriteLine(JsonSerializer.Serialize(new { texts = texts.Length, bytes, tokens, seconds = best, mb_per_s = bytes / best / 1e6 }));
        return 0;
    }

    private static long CountEncode(Tokenizer tokenizer, string[] texts)
    {
        long n = 0;
        foreach (var t in texts) n += tokenizer.Encode(t).Length;
        return n;
    }

    private static long CountIds(Tokenizer tokenizer, string[] texts)
    {
        long n = 0;
        var ids = new int[1024];
        foreach (var t in texts)
        {
            // At most one token per UTF-8 byte, plus special tokens.
            if (ids.Length < 3 * t.Length + 16) ids = new int[3 * t.Length + 16];
            n += tokenizer.EncodeToIds(t, ids);
        }
        return n;
    }
}
