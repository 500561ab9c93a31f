using Embeddings.Inference;
using Microsoft.ML.OnnxRuntime;

namespace Embeddings.Compare;

/// <summary>
/// The same batches through ONNX Runtime's managed API with nothing of the library in between: a session of its
/// own with the same settings, inputs as OrtValues over the batch arrays, the one output read and released. The
/// floor the backend is held to (it should add nothing measurable on top).
/// </summary>
internal sealed class OfficialApiReplay : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;

    public OfficialApiReplay(string modelPath, Embeddings.Onnx.OnnxRuntimeOptions runtime)
    {
        using var options = new SessionOptions
        {
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
            GraphOptimizationLevel = (Microsoft.ML.OnnxRuntime.GraphOptimizationLevel)(int)runtime.GraphOptimizationLevel,
            EnableCpuMemArena = runtime.EnableMemoryArena,
        };
        if (runtime.IntraOpThreads is int intra) options.IntraOpNumThreads = intra;
        if (runtime.InterOpThreads is int inter) options.InterOpNumThreads = inter;
        string spinning = runtime.AllowSpinning ? "1" : "0";
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", spinning);
        options.AddSessionConfigEntry("session.inter_op.allow_spinning", spinning);
        _session = new InferenceSession(modelPath, options);
        _inputNames = _session.InputMetadata.Keys.ToArray();
    }

    /// <summary>Runs <paramref name="batches"/> once; returns the seconds taken.</summary>
    public double Replay(IReadOnlyList<RecordedBatch> batches, string outputName)
    {
        var prepared = batches.Select(b => b.ToBatch()).ToArray();
        string[] outputs = [outputName];
        return Timing.Seconds(() =>
        {
            foreach (var batch in prepared) Run(batch, outputs);
        });
    }

    private void Run(InferenceBatch batch, string[] outputs)
    {
        long[] shape = [batch.BatchSize, batch.SequenceLength];
        var values = new OrtValue[_inputNames.Length];
        try
        {
            for (int i = 0; i < values.Length; i++)
            {
                var data = _inputNames[i] switch
                {
                    "input_ids" => batch.InputIds,
                    "attention_mask" => batch.AttentionMask,
                    "token_type_ids" => batch.TokenTypeIds.IsEmpty ? new long[batch.BatchSize * batch.SequenceLength] : batch.TokenTypeIds,
                    var other => throw new NotSupportedException($"The bare replay feeds input_ids, attention_mask and token_type_ids, not {other}."),
                };
                values[i] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data, shape);
            }
            using var runOptions = new RunOptions();
            using var results = _session.Run(runOptions, _inputNames, values, outputs);
            GC.KeepAlive(results[0].GetTensorDataAsSpan<float>()[0]);
        }
        finally
        {
            foreach (var value in values) value?.Dispose();
        }
    }

    public void Dispose() => _session.Dispose();
}
