using System.Buffers;
using System.Diagnostics;
using Embeddings.Diagnostics;
using Embeddings.Inference;
using Embeddings.Models;

namespace Embeddings.Batching;

/// <summary>Receives one sequence's slice of a batch output.</summary>
/// <param name="inputIndex">The sequence's index in the caller's list.</param>
/// <param name="output">For a [B, T, W] output, the sequence's [T, W] rows (padding included); for [B, W], its W values.</param>
/// <param name="mask">The sequence's [T] attention mask as fed to the model.</param>
/// <param name="width">W, the last dimension of the output.</param>
internal delegate void BatchRowHandler(int inputIndex, ReadOnlySpan<float> output, ReadOnlySpan<long> mask, int width);

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
    /// pad_token_id, else 0) on the folder's padding side, one sequence per run for dynamically quantized models when the
    /// caller asked for exact batch invariance.
    /// </summary>
    public static BatchRunner ForModel(IInferenceBackend backend, ModelFolder folder, Tokenization.Tokenizer tokenizer, bool exactBatchInvariance)
    {
        long padId = tokenizer.Padding?.PadId
            ?? (folder.TokenizerSettings.PadToken is { } padToken ? tokenizer.TokenToId(padToken) : null)
            ?? folder.Transformer.PadTokenId
            ?? 0;
        return new BatchRunner(backend, padId, folder.PaddingSide, folder.Transformer.VocabularySize,
            oneSequencePerRun: exactBatchInvariance && folder.DynamicallyQuantized);
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
        var lengths = new int[ids.Count];
        for (int i = 0; i < lengths.Length; i++) lengths[i] = ids[i].Length;
        var plan = BatchPlan.Create(lengths, maxBatchTokens, _oneSequencePerRun ? 1 : maxBatchSize);
        int done = 0;
        foreach (var batch in plan.Batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RunBatch(plan, batch, ids, typeIds, outputName, cancellationToken, handler, attendedLengths);
            done += batch.Count;
            progress?.Report(new EmbeddingProgress(done, ids.Count));
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
        int size = count * length;
        bool wantsTypes = _backend.Signature.Has(ModelInputs.TokenTypeIds);
        bool wantsPositions = _backend.Signature.Has(ModelInputs.PositionIds);
        var pool = ArrayPool<long>.Shared;
        long[] inputIds = pool.Rent(size), mask = pool.Rent(size);
        long[]? types = wantsTypes ? pool.Rent(size) : null;
        long[]? positions = wantsPositions ? pool.Rent(size) : null;
        try
        {
            for (int row = 0; row < count; row++)
            {
                int index = plan.Order[first + row];
                FillRow(index, ids[index], typeIds?[index], attendedLengths?[index] ?? ids[index].Length, length,
                    inputIds.AsSpan(row * length, length), mask.AsSpan(row * length, length),
                    types is null ? default : types.AsSpan(row * length, length),
                    positions is null ? default : positions.AsSpan(row * length, length));
            }
            var inferenceBatch = new InferenceBatch(count, length, inputIds, mask,
                types is null ? Memory<long>.Empty : types, positions is null ? Memory<long>.Empty : positions);
            using var activity = EmbeddingsTelemetry.ActivitySource.StartActivity("embeddings.inference");
            activity?.SetTag("embeddings.batch.size", count);
            activity?.SetTag("embeddings.batch.sequence_length", length);
            long started = Stopwatch.GetTimestamp();
            using var output = _backend.Run(inferenceBatch, outputName, cancellationToken);
            EmbeddingsTelemetry.InferenceDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            EmbeddingsTelemetry.BatchSize.Record(count);
            EmbeddingsTelemetry.BatchPaddedTokens.Record(size);
            var shape = output.Shape;
            var data = output.Data;
            if (shape.Length is < 2 or > 3 || shape[0] != count || (shape.Length == 3 && shape[1] != length))
                throw new InvalidOperationException(
                    $"The model's output '{outputName}' has shape [{string.Join(", ", shape.ToArray())}]; expected [{count}, {length}, width] or [{count}, width].");
            int width = checked((int)shape[^1]);
            int rowSize = shape.Length == 3 ? length * width : width;
            for (int row = 0; row < count; row++)
                handler(plan.Order[first + row], data.Slice(row * rowSize, rowSize), mask.AsSpan(row * length, length), width);
        }
        finally
        {
            pool.Return(inputIds);
            pool.Return(mask);
            if (types is not null) pool.Return(types);
            if (positions is not null) pool.Return(positions);
        }
    }

    private void FillRow(int index, int[] tokens, int[]? tokenTypes, int attended, int length, Span<long> ids, Span<long> mask, Span<long> types, Span<long> positions)
    {
        int offset = _paddingSide == SequenceSide.Left ? length - tokens.Length : 0;
        ids.Fill(_padId);
        mask.Clear();
        types.Clear();
        positions.Clear();
        for (int t = 0; t < tokens.Length; t++)
        {
            int id = tokens[t];
            if (id < 0 || (_vocabularyLimit is { } limit && id >= limit))
                throw new ModelConfigurationException(
                    $"Item {index} has token id {id}, outside the model's embedding table of {_vocabularyLimit} rows (vocab_size in config.json): the tokenizer does not belong to this model.");
            ids[offset + t] = id;
            mask[offset + t] = t < attended ? 1 : 0;
            if (!types.IsEmpty && tokenTypes is not null) types[offset + t] = tokenTypes[t];
            // Positions count real tokens only, so left padding does not shift them (cumsum(mask) - 1).
            if (!positions.IsEmpty) positions[offset + t] = t;
        }
    }
}
