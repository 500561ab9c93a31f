using System.Buffers;
using Embeddings.Inference;
using Embeddings.Models;

namespace Embeddings.Batching;

/// <summary>
/// The model inputs for one planned batch: every member padded to the batch's length on the model's padding side,
/// in buffers rented from the shared pool (return them with <see cref="Dispose"/>). Only the inputs the model takes
/// are filled.
/// </summary>
internal sealed class PaddedBatch : IDisposable
{
    private readonly long[] _ids;
    private readonly long[] _mask;
    private readonly long[]? _types;
    private readonly long[]? _positions;

    /// <param name="count">Sequences in the batch.</param>
    /// <param name="length">The padded length.</param>
    /// <param name="signature">Which optional inputs (token types, positions) the model takes.</param>
    public PaddedBatch(int count, int length, ModelSignature signature)
    {
        Count = count;
        Length = length;
        int size = count * length;
        var pool = ArrayPool<long>.Shared;
        _ids = pool.Rent(size);
        _mask = pool.Rent(size);
        _types = signature.Has(ModelInputs.TokenTypeIds) ? pool.Rent(size) : null;
        _positions = signature.Has(ModelInputs.PositionIds) ? pool.Rent(size) : null;
    }

    public int Count { get; }

    public int Length { get; }

    /// <summary>Row <paramref name="row"/>'s attention mask as fed to the model.</summary>
    public ReadOnlySpan<long> Mask(int row) => _mask.AsSpan(row * Length, Length);

    /// <summary>The buffers as the backend takes them.</summary>
    public InferenceBatch ToInferenceBatch() => new(Count, Length, _ids, _mask,
        _types is null ? Memory<long>.Empty : _types, _positions is null ? Memory<long>.Empty : _positions);

    /// <summary>Writes one sequence into row <paramref name="row"/>, padding the rest with <paramref name="padId"/>.</summary>
    /// <param name="row">The row in the batch.</param>
    /// <param name="index">The sequence's index in the caller's list (for the error message).</param>
    /// <param name="tokens">Its token ids.</param>
    /// <param name="tokenTypes">Its segment ids, or null for zeros.</param>
    /// <param name="attended">How many leading tokens get attention mask 1.</param>
    /// <param name="padId">The id fed at padded positions.</param>
    /// <param name="side">Where padding goes.</param>
    /// <param name="vocabularyLimit">Ids at or above this are refused before the runtime sees them.</param>
    public void FillRow(int row, int index, int[] tokens, int[]? tokenTypes, int attended, long padId, SequenceSide side, int? vocabularyLimit)
    {
        var ids = _ids.AsSpan(row * Length, Length);
        var mask = _mask.AsSpan(row * Length, Length);
        var types = _types is null ? default : _types.AsSpan(row * Length, Length);
        var positions = _positions is null ? default : _positions.AsSpan(row * Length, Length);
        int offset = side == SequenceSide.Left ? Length - tokens.Length : 0;
        ids.Fill(padId);
        mask.Clear();
        types.Clear();
        positions.Clear();
        for (int t = 0; t < tokens.Length; t++)
        {
            int id = tokens[t];
            if (id < 0 || (vocabularyLimit is { } limit && id >= limit))
                throw new ModelConfigurationException(
                    $"Item {index} has token id {id}, outside the model's embedding table of {vocabularyLimit} rows (vocab_size in config.json): the tokenizer does not belong to this model.");
            ids[offset + t] = id;
            mask[offset + t] = t < attended ? 1 : 0;
            if (!types.IsEmpty && tokenTypes is not null) types[offset + t] = tokenTypes[t];
            // Positions count real tokens only, so left padding does not shift them (cumsum(mask) - 1).
            if (!positions.IsEmpty) positions[offset + t] = t;
        }
    }

    public void Dispose()
    {
        var pool = ArrayPool<long>.Shared;
        pool.Return(_ids);
        pool.Return(_mask);
        if (_types is not null) pool.Return(_types);
        if (_positions is not null) pool.Return(_positions);
    }
}
