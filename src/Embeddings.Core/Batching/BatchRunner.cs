using Embeddings.Inference;
using Embeddings.Models;

namespace Embeddings.Batching;

/// <summary>Receives one sequence's slice of a batch output.</summary>
/// <param name="inputIndex">The sequence's index in the caller's list.</param>
/// <param name="output">For a [B, T, W] output, the sequence's [T, W] rows (padding included); for [B, W], its W values.</param>
/// <param name="mask">The sequence's [T] attention mask as fed to the model.</param>
/// <param name="width">W, the last dimension of the output.</param>
internal delegate void BatchRowHandler(int inputIndex, ReadOnlySpan<float> output, ReadOnlySpan<long> mask, int width);

/// <summary>Told after each batch which sequences it finished: <c>plan.Order[batch.Start .. batch.Start + batch.Count]</c>,
/// indexes in the caller's list.</summary>
internal delegate void BatchDoneHandler(BatchPlan plan, PlannedBatch batch);

/// <summary>
/// Runs token sequences through a backend in length-sorted, token-budget batches and hands each
/// sequence's output to a handler. Sequences are padded on the model's side to their batch's longest
/// member; sequences with no tokens are skipped (the handler never sees them).
/// </summary>
internal sealed class BatchRunner
{
    private readonly IInferenceBackend _backend;
    private readonly long _padId;
    private readonly SequenceSide _paddingSide;
    private readonly int? _vocabularyLimit;
    private readonly bool _oneSequencePerRun;

    /// <summary>
    /// The runner for a model folder: padding with the tokenizer's pad id (else the folder's pad token, else config.json's
    /// pad_token_id, else 0) on the folder's padding side, one sequence per run for a batch-dependent model
    /// (<see cref="ModelSignature.BatchDependent"/>) when the caller asked for batch-independent results.
    /// </summary>
    public static BatchRunner ForModel(IInferenceBackend backend, ModelFolder folder, Tokenization.Tokenizer tokenizer, bool batchIndependentResults)
    {
        long padId = tokenizer.Padding?.PadId
            ?? (folder.TokenizerSettings.PadToken is { } padToken ? tokenizer.TokenToId(padToken) : null)
            ?? folder.Transformer.PadTokenId
            ?? 0;
        return new BatchRunner(backend, padId, folder.PaddingSide, folder.Transformer.VocabularySize,
            oneSequencePerRun: batchIndependentResults && backend.Signature.BatchDependent);
    }

    /// <param name="backend">The model.</param>
    /// <param name="padId">The id fed at padded positions (RoBERTa-style models derive positions from it).</param>
    /// <param name="paddingSide">Where padding goes.</param>
    /// <param name="vocabularyLimit">Ids at or above this are refused before the runtime sees them.</param>
    /// <param name="oneSequencePerRun">Run every sequence alone, whatever the caller's batch limits.</param>
    public BatchRunner(IInferenceBackend backend, long padId, SequenceSide paddingSide, int? vocabularyLimit, bool oneSequencePerRun = false)
    {
        _backend = backend;
        _padId = padId;
        _paddingSide = paddingSide;
        _vocabularyLimit = vocabularyLimit;
        _oneSequencePerRun = oneSequencePerRun;
    }

    /// <summary>Runs every non-empty sequence once.</summary>
    /// <param name="ids">Token ids per sequence.</param>
    /// <param name="typeIds">Segment ids per sequence (same lengths), or null for zeros.</param>
    /// <param name="outputName">The model output to read.</param>
    /// <param name="maxBatchTokens">Padded-token budget per batch.</param>
    /// <param name="maxBatchSize">Most sequences per batch.</param>
    /// <param name="progress">Told after each batch how many sequences are done.</param>
    /// <param name="cancellationToken">Checked before each batch and passed to the backend.</param>
    /// <param name="handler">Called once per non-empty sequence, on the calling thread.</param>
    /// <param name="attendedLengths">Per sequence, how many leading tokens get attention mask 1 (the rest are fed
    /// with 0 but still run, as ColBERT query expansion needs); null when every token is attended.</param>
    public void Run(IReadOnlyList<int[]> ids, IReadOnlyList<int[]>? typeIds, string outputName, int maxBatchTokens, int maxBatchSize,
        IProgress<EmbeddingProgress>? progress, CancellationToken cancellationToken, BatchRowHandler handler,
        IReadOnlyList<int>? attendedLengths = null)
    {
        int done = 0;
        Run(ids, typeIds, outputName, maxBatchTokens, maxBatchSize, cancellationToken, handler, attendedLengths,
            progress is null ? null : (_, batch) =>
            {
                done += batch.Count;
                progress.Report(new EmbeddingProgress(done, ids.Count));
            });
    }

    /// <summary>Runs every non-empty sequence once and tells <paramref name="batchDone"/> which sequences each batch
    /// finished (empty ones included), so callers that merged several requests can report progress per request.</summary>
    public void Run(IReadOnlyList<int[]> ids, IReadOnlyList<int[]>? typeIds, string outputName, int maxBatchTokens, int maxBatchSize,
        CancellationToken cancellationToken, BatchRowHandler handler, IReadOnlyList<int>? attendedLengths, BatchDoneHandler? batchDone)
    {
        var lengths = new int[ids.Count];
        for (int i = 0; i < lengths.Length; i++) lengths[i] = ids[i].Length;
        var plan = BatchPlan.Create(lengths, maxBatchTokens, _oneSequencePerRun ? 1 : maxBatchSize);
        foreach (var batch in plan.Batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RunBatch(plan, batch, ids, typeIds, outputName, cancellationToken, handler, attendedLengths);
            batchDone?.Invoke(plan, batch);
        }
    }

    private void RunBatch(BatchPlan plan, PlannedBatch batch, IReadOnlyList<int[]> ids, IReadOnlyList<int[]>? typeIds, string outputName,
        CancellationToken cancellationToken, BatchRowHandler handler, IReadOnlyList<int>? attendedLengths)
    {
        // Empty sequences sort first; leave them out of the batch entirely.
        int first = batch.Start, count = batch.Count;
        while (count > 0 && ids[plan.Order[first]].Length == 0) { first++; count--; }
        if (count == 0) return;

        int length = batch.SequenceLength;
        using var inputs = new PaddedBatch(count, length, _backend.Signature);
        for (int row = 0; row < count; row++)
        {
            int index = plan.Order[first + row];
            inputs.FillRow(row, index, ids[index], typeIds?[index], attendedLengths?[index] ?? ids[index].Length, _padId, _paddingSide, _vocabularyLimit);
        }
        using var telemetry = InferenceTelemetry.Start(count, length);
        using var output = _backend.Run(inputs.ToInferenceBatch(), outputName, cancellationToken);
        telemetry.Succeeded();
        int rowSize = OutputShape.RowSize(output.Shape, count, length, outputName, out int width);
        var data = output.Data;
        for (int row = 0; row < count; row++)
            handler(plan.Order[first + row], data.Slice(row * rowSize, rowSize), inputs.Mask(row), width);
    }
}
