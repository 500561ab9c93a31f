using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;

namespace Embeddings.Benchmarks;

/// <summary>
/// The job for model runs: one invocation per iteration (an operation takes seconds), no pilot stage, one
/// warm-up iteration (the runtime's arena and the tokenizer's caches fill there), three measured iterations.
/// </summary>
internal sealed class EndToEndJob : ManualConfig
{
    public EndToEndJob() => AddJob(Job.Default
        .WithStrategy(RunStrategy.Monitoring)
        .WithLaunchCount(1)
        .WithWarmupCount(1)
        .WithIterationCount(3)
        .WithId("EndToEnd"));
}
