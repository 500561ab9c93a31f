using System.Diagnostics;
using Embeddings.Onnx.Runtime;
using Embeddings.Onnx.Tests.Support;
using Embeddings.TestModels;

namespace Embeddings.Onnx.Tests;

/// <summary>
/// Choosing CPU or CUDA. These machines have ONNX Runtime's CPU build and no GPU, so CUDA is tested where it
/// cannot run: the typed error naming what is missing, and the fallback to the CPU when the caller allows it.
/// </summary>
[Collection(nameof(TelemetryTests))]
public sealed class ExecutionProviderTests
{
    private static string Model => ReferenceRecords.ModelFile("bert-mean-tiny");

    [FixtureFact]
    public void Asking_for_CUDA_from_the_CPU_build_fails_saying_what_is_missing_and_how_to_get_it()
    {
        var options = new OnnxRuntimeOptions { CudaDeviceId = 0 };

        var error = Assert.Throws<ExecutionProviderUnavailableException>(() => OnnxInferenceBackend.Create(Model, options));

        Assert.Equal("CUDAExecutionProvider", error.Provider);
        Assert.Equal(0, error.DeviceId);
        Assert.Contains("build without it", error.Missing, StringComparison.Ordinal);
        Assert.Contains("CPUExecutionProvider", error.Missing, StringComparison.Ordinal);
        Assert.Contains("Embeddings.Onnx.Gpu", error.Message, StringComparison.Ordinal);
        Assert.Contains("CudaFallbackToCpu", error.Message, StringComparison.Ordinal);
        // Callers that caught the earlier NotSupportedException still catch it.
        Assert.IsAssignableFrom<NotSupportedException>(error);
    }

    [FixtureFact]
    public void With_fallback_allowed_a_CUDA_request_runs_on_the_CPU_says_so_and_gives_the_CPU_result()
    {
        var batch = Batches.Padded(ReferenceRecords.Tokens("bert-mean-tiny").Select(r => r.InputIds).ToArray(), padLeft: false, padId: 0);
        using var cpu = OnnxInferenceBackend.Create(Model);
        using var fallback = OnnxInferenceBackend.Create(Model, new OnnxRuntimeOptions { CudaDeviceId = 1, CudaFallbackToCpu = true });

        Assert.Equal("CPUExecutionProvider", fallback.ExecutionProvider);
        Assert.Null(fallback.DeviceId);
        Assert.Contains("CUDA device 1", fallback.FallbackReason, StringComparison.Ordinal);
        using var expected = cpu.Run(batch, "last_hidden_state");
        using var actual = fallback.Run(batch, "last_hidden_state");
        Assert.Equal(expected.Data.ToArray(), actual.Data.ToArray());
    }

    [FixtureFact]
    public void The_inference_activity_is_tagged_with_the_execution_provider()
    {
        var tags = new List<object?>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == Embeddings.Diagnostics.EmbeddingsTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == "embeddings.inference")
                    lock (tags) tags.Add(activity.GetTagItem(OnnxInferenceBackend.ExecutionProviderTag));
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var embedder = OnnxEmbedder.Create(Fixtures.ModelDir("bert-mean-tiny"));

        embedder.Embed(["one", "two"]);

        lock (tags) Assert.Contains("CPUExecutionProvider", tags);
    }

    [Fact]
    public void The_CUDA_provider_library_absent_from_the_application_is_named_with_the_package_that_brings_it()
    {
        string? missing = CudaProviderProbe.WhatIsMissing();

        Assert.NotNull(missing);
        Assert.Contains("onnxruntime_providers_cuda", missing, StringComparison.Ordinal);
        Assert.Contains("Embeddings.Onnx.Gpu", missing, StringComparison.Ordinal);
    }

    [Fact]
    public void A_native_library_that_cannot_be_loaded_becomes_OnnxRuntimeNotFoundException_naming_the_packages()
    {
        var loaderFailure = new DllNotFoundException("Unable to load shared library 'onnxruntime' or one of its dependencies.");
        var wrapped = new TypeInitializationException("Microsoft.ML.OnnxRuntime.NativeMethods", loaderFailure);

        Assert.Same(loaderFailure, OrtRuntime.NativeLoadFailure(wrapped));
        Assert.Null(OrtRuntime.NativeLoadFailure(new InvalidOperationException("unrelated")));
        var error = OrtRuntime.NotFound(loaderFailure);
        Assert.Contains("Unable to load shared library 'onnxruntime'", Assert.Single(error.PlacesTried), StringComparison.Ordinal);
        Assert.Contains("Embeddings.Onnx.Gpu", error.Message, StringComparison.Ordinal);
        Assert.Contains("Microsoft.ML.OnnxRuntime", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[ErrorCode:InvalidProtobuf] Load model from m.onnx failed:Protobuf parsing failed.", OrtErrorCode.InvalidProtobuf, "Load model from m.onnx failed:Protobuf parsing failed.")]
    [InlineData("[ErrorCode:NoSuchFile] Load model m.onnx failed. File doesn't exist", OrtErrorCode.NoSuchFile, "Load model m.onnx failed. File doesn't exist")]
    [InlineData("[ErrorCode:ShapeInferenceNotRegistered] x", OrtErrorCode.Fail, "x")]
    [InlineData("no code here", OrtErrorCode.Fail, "no code here")]
    public void The_runtime_error_code_is_read_from_the_managed_exception(string message, OrtErrorCode code, string rest)
    {
        var (parsed, text) = OrtErrors.Describe(message);

        Assert.Equal(code, parsed);
        Assert.Equal(rest, text);
    }
}
