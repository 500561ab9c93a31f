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

        Assert.Null(options.LibraryPath);
        Assert.Null(options.IntraOpThreads);
        Assert.Null(options.InterOpThreads);
        Assert.Equal(GraphOptimizationLevel.All, options.GraphOptimizationLevel);
        Assert.Equal(ExecutionMode.Sequential, options.ExecutionMode);
        Assert.True(options.EnableMemoryArena);
        Assert.False(options.ShrinkMemoryArenaAfterRun);
        Assert.True(options.AllowSpinning);
        Assert.Null(options.CudaDeviceId);
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
        Assert.Throws<ArgumentException>(() => options.LibraryPath = " ");
        Assert.Equal(new OnnxRuntimeOptions().IntraOpThreads, options.IntraOpThreads);

        options.IntraOpThreads = 1;
        options.IntraOpThreads = null;
        options.CudaDeviceId = 0;
        options.LibraryPath = null;
        Assert.Null(options.IntraOpThreads);
        Assert.Equal(0, options.CudaDeviceId);
    }

    [Fact]
    public void A_clone_is_independent()
    {
        var original = new OnnxRuntimeOptions { IntraOpThreads = 2, LibraryPath = "a", AllowSpinning = false };

        var copy = original.Clone();
        copy.IntraOpThreads = 4;
        copy.LibraryPath = "b";
        copy.AllowSpinning = true;

        Assert.Equal(2, original.IntraOpThreads);
        Assert.Equal("a", original.LibraryPath);
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
    public void Asking_for_CUDA_with_a_library_that_cannot_provide_it_says_so_clearly()
    {
        var options = new OnnxRuntimeOptions { CudaDeviceId = 0 };

        var error = Assert.Throws<NotSupportedException>(() => OnnxInferenceBackend.Create(ReferenceRecords.ModelFile("bert-mean-tiny"), options));

        Assert.Contains("CUDA device 0", error.Message, StringComparison.Ordinal);
        Assert.Contains(Native.OrtRuntime.Load(null).LibraryPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", error.Message, StringComparison.Ordinal);
        Assert.Contains("CudaDeviceId", error.Message, StringComparison.Ordinal);
    }

    [FixtureFact]
    public void The_backend_reports_the_runtime_it_uses()
    {
        using var backend = OnnxInferenceBackend.Create(ReferenceRecords.ModelFile("bert-mean-tiny"));

        Assert.Equal(Native.OrtRuntime.Load(null).Version, backend.RuntimeVersion);
        Assert.True(File.Exists(backend.RuntimeLibraryPath), backend.RuntimeLibraryPath);
        Assert.Equal(Path.GetFullPath(ReferenceRecords.ModelFile("bert-mean-tiny")), backend.ModelPath);
    }
}
