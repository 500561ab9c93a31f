using Embeddings.Onnx.Native;
using Embeddings.Onnx.Tests.Support;
using Embeddings.TestModels;

namespace Embeddings.Onnx.Tests;

/// <summary>
/// Proves the slot indices in <see cref="OrtApi"/> point at the functions they claim to: each test calls
/// slots in a way only the right function answers as expected. A wrong index would give a different
/// error, a crash, or no error where one is expected.
/// </summary>
public sealed unsafe class OrtApiTableTests
{
    private static readonly OrtRuntime Runtime = OrtRuntime.Load(explicitPath: null);
    private static OrtApi Api => Runtime.Api;

    [Fact]
    public void A_status_round_trips_its_code_and_message()
    {
        // Slots 0, 1, 2 and 93.
        nint status;
        fixed (byte* message = Utf8.NullTerminated("réglage ✓ invalide"))
            status = Api.CreateStatus(OrtErrorCode.NotImplemented, message);

        var error = Api.ToException(status);

        Assert.Equal(OrtErrorCode.NotImplemented, error.ErrorCode);
        Assert.Equal("réglage ✓ invalide", error.Message);
    }

    [Fact]
    public void Check_ignores_success_and_throws_for_a_failure()
    {
        Api.Check(0);

        nint status;
        fixed (byte* message = Utf8.NullTerminated("boom"))
            status = Api.CreateStatus(OrtErrorCode.InvalidGraph, message);
        var error = Assert.Throws<OnnxRuntimeException>(() => Api.Check(status));

        Assert.Equal(OrtErrorCode.InvalidGraph, error.ErrorCode);
    }

    [Fact]
    public void Available_providers_include_the_cpu_provider()
    {
        // Slots 125 and 126.
        Assert.Contains("CPUExecutionProvider", Runtime.AvailableProviders());
    }

    [Fact]
    public void Invalid_execution_mode_and_optimization_level_are_rejected_by_their_own_setters()
    {
        // Slots 10, 13, 23 and 100.
        using var options = OrtSessionOptionsHandle.Create(Api);
        var native = options.DangerousGetHandle();

        var mode = Assert.Throws<OnnxRuntimeException>(() => Api.Check(Api.SetSessionExecutionMode(native, 5)));
        var level = Assert.Throws<OnnxRuntimeException>(() => Api.Check(Api.SetSessionGraphOptimizationLevel(native, 7)));

        Assert.Contains("execution_mode", mode.Message, StringComparison.Ordinal);
        Assert.Contains("graph_optimization_level", level.Message, StringComparison.Ordinal);
    }

    [FixtureTheory]
    [InlineData(2)]
    [InlineData(3)]
    public void Intra_op_threads_and_session_config_entries_reach_the_session(int threads)
    {
        // Slots 24 and 130 (and 7): ONNX Runtime checks that there is one affinity per extra thread.
        using var options = OrtSessionOptionsHandle.Create(Api);
        Api.Check(Api.SetIntraOpNumThreads(options.DangerousGetHandle(), threads));
        options.AddConfigEntry("session.intra_op_thread_affinities", "1;2;3;4;5");

        var error = Assert.Throws<OnnxRuntimeException>(() => OrtSession.Open(Runtime, ReferenceRecords.ModelFile("bert-mean-tiny"), options).Dispose());

        Assert.Contains($"thread_pool_size: {threads}", error.Message, StringComparison.Ordinal);
    }

    [FixtureFact]
    public void Run_config_entries_and_the_arena_switch_reach_the_run()
    {
        // Slots 165 (AddRunConfigEntry), 18 and 19: shrinking "cpu:0" needs the CPU arena, so it succeeds
        // with the arena on and fails with it off; an unknown device is refused by the run itself.
        Assert.Null(RunWithShrinkage(enableArena: true, "cpu:0"));
        Assert.Contains("cpu:0", RunWithShrinkage(enableArena: false, "cpu:0")!.Message, StringComparison.Ordinal);
        Assert.Contains("bogus", RunWithShrinkage(enableArena: true, "bogus:0")!.Message, StringComparison.Ordinal);
    }

    [FixtureFact]
    public void Terminate_stops_a_run()
    {
        // Slot 46.
        using var session = OpenBert();
        using var runOptions = OrtRunOptionsHandle.Create(Api);
        runOptions.Terminate();

        var error = Assert.Throws<OnnxRuntimeException>(() => RunBert(session, runOptions));

        Assert.Contains("terminate", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_highest_slots_used_are_the_CUDA_provider_options_functions()
    {
        // Slots 205, 206 and 208 (OrtApi.HighestSlotUsed). The library fetched for development lists the
        // CUDA provider but ships without its libraries: creating options still works (a wrong slot 205
        // would not hand back options), releasing them must not crash, and updating them fails naming the
        // missing provider bridge (a CUDA build succeeds). Without the provider, slot 206 cannot be told
        // apart from its neighbour 207, which fails the same way; 204 and 206 rest on the header count.
        Assert.Equal(208, OrtApi.HighestSlotUsed);
        nint cuda;
        Api.Check(Api.CreateCUDAProviderOptions(&cuda));
        Assert.NotEqual(0, cuda);
        try
        {
            nint status;
            fixed (byte* key = Utf8.NullTerminated("device_id"))
            fixed (byte* value = Utf8.NullTerminated("0"))
            {
                byte** keys = stackalloc byte*[] { key };
                byte** values = stackalloc byte*[] { value };
                status = Api.UpdateCUDAProviderOptions(cuda, keys, values, 1);
            }
            if (status != 0)
            {
                var error = Api.ToException(status);
                Assert.Contains("providers_shared", error.Message, StringComparison.Ordinal);
            }
        }
        finally
        {
            Api.ReleaseCUDAProviderOptions(cuda);
        }
    }

    private static OnnxRuntimeException? RunWithShrinkage(bool enableArena, string devices)
    {
        using var options = OrtSessionOptionsHandle.Create(Api);
        Api.Check(enableArena ? Api.EnableCpuMemArena(options.DangerousGetHandle()) : Api.DisableCpuMemArena(options.DangerousGetHandle()));
        using var session = OrtSession.Open(Runtime, ReferenceRecords.ModelFile("bert-mean-tiny"), options);
        using var runOptions = OrtRunOptionsHandle.Create(Api);
        runOptions.AddConfigEntry("memory.enable_memory_arena_shrinkage", devices);
        try
        {
            RunBert(session, runOptions);
            return null;
        }
        catch (OnnxRuntimeException e)
        {
            Assert.Equal(OrtErrorCode.InvalidArgument, e.ErrorCode);
            return e;
        }
    }

    private static OrtSession OpenBert()
    {
        using var options = OrtSessionOptionsHandle.Create(Api);
        return OrtSession.Open(Runtime, ReferenceRecords.ModelFile("bert-mean-tiny"), options);
    }

    private static void RunBert(OrtSession session, OrtRunOptionsHandle runOptions)
    {
        var values = session.Inputs.Select(input => OrtTensor.OverInt64(Runtime, input.Name switch
        {
            "input_ids" => new long[] { 101, 7592, 102 },
            "attention_mask" => new long[] { 1, 1, 1 },
            _ => new long[3],
        }, [1, 3])).ToArray();
        try
        {
            session.Run(values, session.Outputs[0], runOptions).Dispose();
        }
        finally
        {
            foreach (var value in values) value.Dispose();
        }
    }
}
