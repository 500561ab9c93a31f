using System.Diagnostics;
using System.Text.Json;
using Embeddings.Benchmarks;

namespace Embeddings.Compare;

/// <summary>
/// <c>steady</c>: memory over many calls. Makes --calls single-text Embed calls (default 10,000) cycling through a
/// text file, and every --every calls (default 1,000) records resident memory, the managed heap after a full
/// collection, and bytes allocated per call since the previous checkpoint. Growth shows as a rising heap or RSS
/// after the first checkpoints (by then the runtime's arena has seen the longest text).
/// </summary>
internal static class SteadyStateCommand
{
    public static int Run(CommandLine options)
    {
        var texts = CorpusSample.ReadFile(options.Required("texts"));
        int calls = options.Int("calls", 10_000);
        int every = Math.Max(1, options.Int("every", 1000));
        using var model = LoadedModel.Open(options);
        var embedder = model.Embedder;

        var checkpoints = new List<object>();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long start = Stopwatch.GetTimestamp();
        for (int call = 1; call <= calls; call++)
        {
            embedder.Embed([texts[(call - 1) % texts.Length]]);
            if (call % every != 0) continue;
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            checkpoints.Add(new
            {
                calls = call,
                seconds = Stopwatch.GetElapsedTime(start).TotalSeconds,
                rss_bytes = ProcessMemory.CurrentRss(),
                managed_heap_bytes = GC.GetTotalMemory(forceFullCollection: false),
                alloc_bytes_per_call = (double)(allocated - allocatedBefore) / every,
            });
            allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        }
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            texts = texts.Length,
            calls,
            settings = model.Describe(),
            checkpoints,
            peak_rss_bytes = ProcessMemory.PeakRss(),
        }));
        return 0;
    }
}
