using System.Diagnostics;
using System.Globalization;
using Embeddings;
using Embeddings.Onnx;
using Embeddings.Reliability.Tests.Support;
using Embeddings.Soak;

// A soak run: warm up, then make many calls on one embedder and measure the process along the way. Each
// measurement forces full garbage collections (so live managed memory is what is measured), which briefly
// pauses the callers: the calls/s column is indicative, not a benchmark.

SoakOptions options;
try
{
    options = SoakOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(SoakOptions.Usage);
    return 2;
}

using var embedder = OnnxEmbedder.Create(options.Model, new OnnxEmbedderOptions
{
    Embedder = { Queue = options.Queue ? new EmbeddingQueueOptions() : null },
});
var workload = new SoakWorkload(embedder, options.Queue);
Console.WriteLine($"model {embedder.Info.ModelId}: {workload.Kinds} kind(s) of call; {options.Calls:N0} calls on {options.Threads} thread(s){(options.Queue ? " through the queue" : "")}");

int warmUp = Math.Max(100, options.Calls / 10);
for (int i = 0; i < warmUp; i++) workload.Call(i);

var start = ProcessResources.Measure();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"calls",10} {"seconds",8} {"calls/s",8} {"managed MB",11} {"resident MB",12} {"native MB",10} {"handles",8} {"threads",8}"));
Print(0, 0, start);

long next = warmUp;
long done = 0;
var clock = Stopwatch.StartNew();
long perSample = options.Calls / options.Samples;
for (int sample = 1; sample <= options.Samples; sample++)
{
    long calls = sample == options.Samples ? options.Calls - done : perSample;
    long first = next;
    var sampleClock = Stopwatch.StartNew();
    Parallel.For(0, options.Threads, new ParallelOptions { MaxDegreeOfParallelism = options.Threads }, thread =>
    {
        for (long i = thread; i < calls; i += options.Threads) workload.Call(first + i);
    });
    double seconds = sampleClock.Elapsed.TotalSeconds;
    next += calls;
    done += calls;
    Print(done, clock.Elapsed.TotalSeconds, ProcessResources.Measure(), calls / seconds);
}

var end = ProcessResources.Measure();
var growth = end.Since(start);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"growth over {done:N0} calls: managed {growth.ManagedBytes / 1048576.0:+0.00;-0.00} MB, resident {growth.ResidentBytes / 1048576.0:+0.0;-0.0} MB, " +
    $"native {growth.NativeBytes / 1048576.0:+0.0;-0.0} MB, handles {growth.Handles:+0;-0;0}, threads {growth.Threads:+0;-0;0}"));
return 0;

static void Print(long calls, double seconds, ProcessResources now, double callsPerSecond = double.NaN) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{calls,10:N0} {seconds,8:F1} {(double.IsNaN(callsPerSecond) ? "" : callsPerSecond.ToString("F0", CultureInfo.InvariantCulture)),8} {now.ManagedBytes / 1048576.0,11:F2} {now.ResidentBytes / 1048576.0,12:F1} {now.NativeBytes / 1048576.0,10:F1} {now.Handles,8} {now.Threads,8}"));
