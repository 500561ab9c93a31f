using System.Diagnostics;
using System.Text.Json;
using Embeddings.Benchmarks;

namespace Embeddings.Compare;

/// <summary>
/// <c>throughput</c>: the .NET side of the comparison. Embeds a text file with the library (one Embed call over
/// all texts, default batching) and replays the very batches it ran through the bare backend on the same session,
/// alternating the two for each of several runs; then times single-text calls against bare runs of the same
/// one-sequence batch. Optionally (--official on) replays them through ONNX Runtime's managed API directly too, and
/// exports the batches for the Node floor. Prints one JSON object.
/// </summary>
internal static class ThroughputCommand
{
    public static int Run(CommandLine options)
    {
        var texts = CorpusSample.ReadFile(options.Required("texts"));
        int runs = Math.Max(1, options.Int("runs", 3));
        int latencyCount = Math.Min(options.Int("latency", 200), texts.Length);
        using var model = LoadedModel.Open(options);
        var embedder = model.Embedder;
        var recorder = model.Recorder;

        // The first pass warms up (arena, caches) and records the batches the library builds.
        var (warm, batches) = recorder.Record(() => embedder.Embed(texts));
        string outputName = recorder.OutputName!;
        long tokens = warm.TotalTokens;
        long padded = batches.Sum(b => b.PaddedTokens);
        if (batches.Sum(b => b.RealTokens) != tokens)
            throw new InvalidOperationException("The recorded batches do not hold the tokens the result reports.");

        // --official on: also replay through ONNX Runtime's managed API directly, on a session of its own (more memory).
        using var official = options.Bool("official", false) ? new OfficialApiReplay(model.Backend.ModelPath, model.Runtime) : null;
        official?.Replay(batches, outputName);
        var library = new List<double>();
        var bare = new List<double>();
        var officialBare = new List<double>();
        long allocated = 0;
        for (int r = 0; r < runs; r++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            long start = Stopwatch.GetTimestamp();
            var result = embedder.Embed(texts);
            library.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            GC.KeepAlive(result);
            bare.Add(Replay(model, batches, outputName));
            if (official is not null) officialBare.Add(official.Replay(batches, outputName));
        }

        // Single texts: each is embedded alone, then its one-sequence batch runs bare, so both see the same noise.
        var latencyTexts = Enumerable.Range(0, latencyCount).Select(i => texts[(int)((long)i * texts.Length / latencyCount)]).ToArray();
        var singles = recorder.Record(() =>
        {
            foreach (var text in latencyTexts) embedder.Embed([text]);
        });
        var libraryLatency = new List<double>();
        var bareLatency = new List<double>();
        var officialLatency = new List<double>();
        for (int i = 0; i < latencyTexts.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            embedder.Embed([latencyTexts[i]]);
            libraryLatency.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            bareLatency.Add(Replay(model, [singles[i]], outputName) * 1000);
            if (official is not null) officialLatency.Add(official.Replay([singles[i]], outputName) * 1000);
        }

        if (options.OptionalString("plan") is { } plan)
            PlanFile.Write(plan, model.Backend.Signature, outputName, batches, singles);
        // The first vectors, for checking that every side computes the same thing.
        if (options.OptionalString("vectors") is { } vectors)
            File.WriteAllText(vectors, JsonSerializer.Serialize(Enumerable.Range(0, Math.Min(8, warm.Count)).Select(warm.ToArray)));

        double best = library.Min(), bareBest = bare.Min();
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            side = "dotnet",
            model = Path.GetFileName(Path.GetFullPath(options.Required("model")).TrimEnd('/')),
            settings = model.Describe(),
            texts = texts.Length,
            tokens,
            padded_tokens = padded,
            batches = batches.Length,
            seconds = library,
            texts_per_s = texts.Length / best,
            tokens_per_s = tokens / best,
            alloc_bytes_per_text = (double)allocated / texts.Length,
            bare = new { seconds = bare, texts_per_s = texts.Length / bareBest, tokens_per_s = tokens / bareBest },
            official_api = official is null ? null : new
            {
                seconds = officialBare,
                texts_per_s = texts.Length / officialBare.Min(),
                p50_ms = Percentiles.Median(officialLatency),
            },
            latency = new
            {
                count = latencyTexts.Length,
                p50_ms = Percentiles.Median(libraryLatency),
                p99_ms = Percentiles.Of(libraryLatency, 99),
                bare_p50_ms = Percentiles.Median(bareLatency),
                bare_p99_ms = Percentiles.Of(bareLatency, 99),
            },
            peak_rss_bytes = ProcessMemory.PeakRss(),
        }));
        return 0;
    }

    /// <summary>Runs recorded batches through the bare backend; returns the seconds taken.</summary>
    private static double Replay(LoadedModel model, IReadOnlyList<RecordedBatch> batches, string outputName)
    {
        var prepared = batches.Select(b => b.ToBatch()).ToArray();
        return Timing.Seconds(() =>
        {
            foreach (var batch in prepared)
            {
                using var output = model.Backend.Run(batch, outputName);
            }
        });
    }
}
