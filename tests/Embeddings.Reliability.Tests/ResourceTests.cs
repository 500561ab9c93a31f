using Embeddings.Onnx;
using Embeddings.Reliability.Tests.Support;
using Embeddings.TestModels;
using Xunit.Abstractions;

namespace Embeddings.Reliability.Tests;

/// <summary>
/// Thousands of calls, loads and failed loads leave the process as they found it: no growth in live managed
/// memory, resident memory or open handles (docs/reliability.md, "Resources"). Each test warms up first (JIT,
/// buffer pools, ONNX Runtime's arena reaching its high-water mark), then measures before and after.
/// </summary>
/// <remarks>
/// Tolerances, and what they still catch:
/// <list type="bullet">
/// <item>Managed: 1 MB. Live managed memory after full collections is what the embedder and the buffer pools hold,
/// the same before and after; leaking anything per call (a result is at least a few hundred bytes) adds several MB
/// over 10,000 calls.</item>
/// <item>Native (resident memory outside the GC heap): 16 MB. The native allocator keeps some freed memory, so this
/// moves by a few MB between measurements; a leaked model output (ONNX Runtime allocates one per run, 2–400 KB
/// here) adds 20 MB to 4 GB over 10,000 calls, and a leaked session (its weights, over 1.5 MB) 75 MB over 50 loads.</item>
/// <item>Resident: 48 MB. The GC commits and returns its heap in large steps, which moves resident memory by up to
/// about 20 MB between two measurements with nothing leaked; the bound still catches any leak the native bound
/// would, plus a growing managed heap.</item>
/// <item>Handles (file descriptors on Linux): 4. Calls and loads open nothing that outlives them; the slack covers
/// the test host and the thread pool opening their own now and then.</item>
/// </list>
/// </remarks>
[Collection(nameof(SequentialCollection))]
public sealed class ResourceTests(WorkloadModel model, ITestOutputHelper output) : IClassFixture<WorkloadModel>
{
    private const long ManagedTolerance = 1L << 20;
    private const long NativeTolerance = 16L << 20;
    private const long ResidentTolerance = 48L << 20;
    private const int HandleTolerance = 4;

    [FixtureFact]
    public void Ten_thousand_mixed_calls_leave_no_growth_in_managed_memory_resident_memory_or_handles()
    {
        // The queue serves the asynchronous calls (MaxWait 0: no waiting for company in a serial loop), the
        // synchronous ones run directly, so both paths are measured.
        using var embedder = model.Create(new EmbedderOptions { Queue = new EmbeddingQueueOptions { MaxWait = TimeSpan.Zero } });
        var pool = CorpusTexts.Mixed();
        foreach (var call in MixedCall.Plan(2_000, pool, seed: 21)) call.Run(embedder);

        var growth = Measure(() =>
        {
            foreach (var call in MixedCall.Plan(10_000, pool, seed: 22)) call.Run(embedder);
        });

        AssertWithinTolerances(growth);
    }

    [FixtureFact]
    public void Loading_and_disposing_a_model_fifty_times_releases_its_native_memory_and_handles()
    {
        for (int i = 0; i < 5; i++) LoadEmbedAndDispose();

        var growth = Measure(() =>
        {
            for (int i = 0; i < 50; i++) LoadEmbedAndDispose();
        });

        AssertWithinTolerances(growth);
    }

    [FixtureFact]
    public void Fifty_failed_loads_release_everything_they_opened()
    {
        using var folder = new TemporaryFolder();
        GeneratedModelFolder.Write(folder.Path, new TestModels.Bert.BertGraphOptions());
        string onnx = Path.Combine(folder.Path, "onnx", "model.onnx");
        var whole = File.ReadAllBytes(onnx);
        File.WriteAllBytes(onnx, whole.AsSpan(0, whole.Length / 2).ToArray());
        for (int i = 0; i < 5; i++) Assert.Throws<OnnxRuntimeException>(() => OnnxEmbedder.Create(folder.Path));

        var growth = Measure(() =>
        {
            for (int i = 0; i < 50; i++) Assert.Throws<OnnxRuntimeException>(() => OnnxEmbedder.Create(folder.Path));
        });

        AssertWithinTolerances(growth);
    }

    private void LoadEmbedAndDispose()
    {
        using var embedder = model.Create();
        Assert.Single(embedder.Embed(["load, embed, dispose"]));
    }

    private ProcessResources Measure(Action work)
    {
        var before = ProcessResources.Measure();
        work();
        var after = ProcessResources.Measure();
        output.WriteLine($"before: {before}");
        output.WriteLine($"after:  {after}");
        return after.Since(before);
    }

    private static void AssertWithinTolerances(ProcessResources growth)
    {
        Assert.True(growth.ManagedBytes <= ManagedTolerance, $"live managed memory grew by {growth.ManagedBytes:N0} bytes");
        Assert.True(growth.NativeBytes <= NativeTolerance, $"native memory grew by {growth.NativeBytes:N0} bytes");
        Assert.True(growth.ResidentBytes <= ResidentTolerance, $"resident memory grew by {growth.ResidentBytes:N0} bytes");
        Assert.True(growth.Handles <= HandleTolerance, $"open handles grew by {growth.Handles}");
    }
}
