using System.Diagnostics;
using System.Text.Json;
using Embeddings.Benchmarks;

namespace Embeddings.Compare;

/// <summary>
/// <c>corpus-memory</c>: peak resident memory of one process that loads a model and embeds --count corpus passages
/// (default 10,000, evenly spaced over the shared corpus) in one Embed call; run it once per setting (--arena,
/// --shrink, --budget) since the peak is the process's. Reports the RSS after loading, the peak, and the time.
/// </summary>
internal static class CorpusMemoryCommand
{
    public static int Run(CommandLine options)
    {
        var texts = CorpusSample.Take(options.Int("count", 10_000));
        using var model = LoadedModel.Open(options);
        long loaded = ProcessMemory.PeakRss();
        long start = Stopwatch.GetTimestamp();
        var result = model.Embedder.Embed(texts);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            texts = texts.Length,
            tokens = result.TotalTokens,
            settings = model.Describe(),
            budget = options.OptionalInt("budget"),
            seconds,
            texts_per_s = texts.Length / seconds,
            result_bytes = (long)result.Count * result.Dimensions * sizeof(float),
            peak_rss_after_load_bytes = loaded,
            peak_rss_bytes = ProcessMemory.PeakRss(),
            final_rss_bytes = ProcessMemory.CurrentRss(),
        }));
        return 0;
    }
}
