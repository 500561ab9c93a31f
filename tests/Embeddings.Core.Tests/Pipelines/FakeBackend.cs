using Embeddings.Inference;

namespace Embeddings.Core.Tests.Pipelines;

/// <summary>
/// A managed stand-in for a transformer: hidden state (id, position, d) = (id + 1) · (d + 1) + position / 100, where the
/// position counts attended tokens only, so padding (on either side) and batch neighbours never change a row and a
/// batched run equals single runs exactly. It can expose a pooled <c>sentence_embedding</c> (100 + the mean of the
/// attended rows) beside <c>last_hidden_state</c>, records every batch it ran, and runs a hook first so tests can
/// block or fail a run.
/// </summary>
internal sealed class FakeBackend : IInferenceBackend
{
    public const int Width = 4;
    public const string Hidden = "last_hidden_state";
    public const string Pooled = "sentence_embedding";

    private readonly object _lock = new();
    private readonly List<RanBatch> _batches = [];

    public FakeBackend(bool withPooledOutput = false)
    {
        var outputs = new List<ModelOutputInfo> { new(Hidden, ModelOutputKind.TokenEmbeddings, [-1, -1, Width]) };
        if (withPooledOutput) outputs.Add(new(Pooled, ModelOutputKind.SentenceEmbedding, [-1, Width]));
        Signature = new ModelSignature(ModelInputs.InputIds | ModelInputs.AttentionMask, outputs);
    }

    /// <summary>One run: its shape, the output read and each row's real (attended) token ids.</summary>
    public sealed record RanBatch(int Size, int Length, string Output, IReadOnlyList<long[]> Rows);

    public ModelSignature Signature { get; }

    /// <summary>Called at the start of every run with its token (to block on, or to throw from).</summary>
    public Action<CancellationToken>? BeforeRun { get; set; }

    public IReadOnlyList<RanBatch> Batches
    {
        get { lock (_lock) return _batches.ToArray(); }
    }

    public void ClearBatches()
    {
        lock (_lock) _batches.Clear();
    }

    public static float HiddenValue(long id, int position, int d) => (id + 1) * (d + 1) + position / 100f;

    public InferenceOutput Run(InferenceBatch batch, string outputName, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        BeforeRun?.Invoke(cancellationToken);
        int size = batch.BatchSize, length = batch.SequenceLength;
        var ids = batch.InputIds.Span;
        var mask = batch.AttentionMask.Span;
        var hidden = new float[size * length * Width];
        var rows = new List<long[]>();
        for (int b = 0; b < size; b++)
        {
            var real = new List<long>();
            int position = 0;
            for (int t = 0; t < length; t++)
            {
                int at = b * length + t;
                if (mask[at] == 0) continue;
                real.Add(ids[at]);
                for (int d = 0; d < Width; d++) hidden[at * Width + d] = HiddenValue(ids[at], position, d);
                position++;
            }
            rows.Add(real.ToArray());
        }
        lock (_lock) _batches.Add(new RanBatch(size, length, outputName, rows));
        if (outputName == Hidden) return new Output([size, length, Width], hidden);
        if (outputName != Pooled) throw new ArgumentException($"No output {outputName}.", nameof(outputName));
        var pooled = new float[size * Width];
        for (int b = 0; b < size; b++)
        {
            int count = 0;
            for (int t = 0; t < length; t++)
            {
                if (mask[b * length + t] == 0) continue;
                count++;
                for (int d = 0; d < Width; d++) pooled[b * Width + d] += hidden[(b * length + t) * Width + d];
            }
            for (int d = 0; d < Width; d++) pooled[b * Width + d] = 100 + pooled[b * Width + d] / Math.Max(count, 1);
        }
        return new Output([size, Width], pooled);
    }

    public void Dispose()
    {
    }

    private sealed class Output(long[] shape, float[] data) : InferenceOutput
    {
        public override ReadOnlySpan<long> Shape => shape;
        public override ReadOnlySpan<float> Data => data;
    }
}
