using Embeddings.Onnx.Tests.Support;
using Embeddings.TestModels;

namespace Embeddings.Onnx.Tests;

/// <summary>Runtime options: defaults, validation, copies, and their effect on a real session.</summary>
public sealed class OnnxRuntimeOptionsTests
{
    [Fact]
    public void Defaults_are_those_of_ONNX_Runtime_on_the_CPU()
    {
        var options = new OnnxRuntimeOptions();

        Assert.Null(options.IntraOpThreads);
        Assert.Null(options.InterOpThreads);
        Assert.Equal(GraphOptimizationLevel.All, options.GraphOptimizationLevel);
        Assert.Equal(ExecutionMode.Sequential, options.ExecutionMode);
        Assert.True(options.EnableMemoryArena);
        Assert.False(options.ShrinkMemoryArenaAfterRun);
        Assert.True(options.AllowSpinning);
        Assert.Null(options.CudaDeviceId);
        Assert.False(options.CudaFallbackToCpu);
    }

    [Fact]
    public void Setters_reject_values_that_cannot_work()
    {
        var options = new OnnxRuntimeOptions();

        Assert.Throws<ArgumentOutOfRangeException>(() => options.IntraOpThreads = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.InterOpThreads = -2);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.CudaDeviceId = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.GraphOptimizationLevel = (GraphOptimizationLevel)7);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.ExecutionMode = (ExecutionMode)2);
        Assert.Equal(new OnnxRuntimeOptions().IntraOpThreads, options.IntraOpThreads);

        options.IntraOpThreads = 1;
        options.IntraOpThreads = null;
        options.CudaDeviceId = 0;
        Assert.Null(options.IntraOpThreads);
        Assert.Equal(0, options.CudaDeviceId);
    }

    [Fact]
    public void A_clone_is_independent()
    {
        var original = new OnnxRuntimeOptions { IntraOpThreads = 2, CudaDeviceId = 1, CudaFallbackToCpu = true, AllowSpinning = false };

        var copy = original.Clone();
        copy.IntraOpThreads = 4;
        copy.CudaDeviceId = 2;
        copy.CudaFallbackToCpu = false;
        copy.AllowSpinning = true;

        Assert.Equal(2, original.IntraOpThreads);
        Assert.Equal(1, original.CudaDeviceId);
        Assert.True(original.CudaFallbackToCpu);
        Assert.False(original.AllowSpinning);
    }

    [FixtureFact]
    public void Every_setting_is_accepted_by_ONNX_Runtime_and_gives_the_same_hidden_states()
    {
        var batch = Batches.Padded(ReferenceRecords.Tokens("bert-mean-tiny").Select(r => r.InputIds).ToArray(), padLeft: false, padId: 0);
        float[] expected;
        using (var reference = OnnxInferenceBackend.Create(ReferenceRecords.ModelFile("bert-mean-tiny")))
        using (var output = reference.Run(batch, "last_hidden_state"))
            expected = output.Data.ToArray();
        var variants = new[]
        {
            new OnnxRuntimeOptions { IntraOpThreads = 1, AllowSpinning = false },
            new OnnxRuntimeOptions { GraphOptimizationLevel = GraphOptimizationLevel.None, EnableMemoryArena = false },
            new OnnxRuntimeOptions { GraphOptimizationLevel = GraphOptimizationLevel.Basic, ExecutionMode = ExecutionMode.Parallel, InterOpThreads = 2 },
            new OnnxRuntimeOptions { GraphOptimizationLevel = GraphOptimizationLevel.Extended, ShrinkMemoryArenaAfterRun = true },
            // Shrinking without an arena is ignored rather than failing every run.
            new OnnxRuntimeOptions { EnableMemoryArena = false, ShrinkMemoryArenaAfterRun = true },
        };

        foreach (var options in variants)
        {
            using var backend = OnnxInferenceBackend.Create(ReferenceRecords.ModelFile("bert-mean-tiny"), options);
            using var output = backend.Run(batch, "last_hidden_state");
            float diff = Batches.MaxAbsDiff(expected, output.Data);
            Assert.True(diff <= 1e-5f, $"max abs difference {diff} with {options.GraphOptimizationLevel}/{options.ExecutionMode}");
        }
    }

    [FixtureFact]
    public void The_backend_reports_the_runtime_it_uses()
    {
        using var backend = OnnxInferenceBackend.Create(ReferenceRecords.ModelFile("bert-mean-tiny"));

        Assert.Equal(Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString(), backend.RuntimeVersion);
        Assert.StartsWith("1.32.", backend.RuntimeVersion, StringComparison.Ordinal);
        Assert.Equal("CPUExecutionProvider", backend.ExecutionProvider);
        Assert.Null(backend.DeviceId);
        Assert.Null(backend.FallbackReason);
        Assert.Equal(Path.GetFullPath(ReferenceRecords.ModelFile("bert-mean-tiny")), backend.ModelPath);
    }
}
