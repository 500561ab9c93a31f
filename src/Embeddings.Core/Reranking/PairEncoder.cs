using System.Runtime.ExceptionServices;
using Embeddings.Models;
using Embeddings.Tokenization;

namespace Embeddings.Reranking;

/// <summary>
/// Turns a query and its documents into model inputs the way sentence-transformers' CrossEncoder does: each pair
/// through the tokenizer's pair template (e.g. <c>[CLS] query [SEP] document [SEP]</c> with segment ids 0 and 1),
/// truncated <c>longest_first</c> to the model's limit with the special tokens kept. An empty document stays a pair
/// (<c>[CLS] query [SEP] [SEP]</c>), as CrossEncoder.predict and rank tokenize it (transformers' batched call keeps an
/// empty second text; only its single-text call drops it).
/// </summary>
internal sealed class PairEncoder
{
    /// <summary>Below this many documents, tokenizing on one thread is cheaper than coordinating several.</summary>
    private const int ParallelThreshold = 32;

    private readonly Tokenizer _tokenizer;
    private readonly int _maxLength;
    private readonly SequenceSide _defaultSide;

    public PairEncoder(Tokenizer tokenizer, int maxLength, SequenceSide defaultSide)
    {
        _tokenizer = tokenizer;
        _maxLength = maxLength;
        _defaultSide = defaultSide;
    }

    /// <summary>The model's limit in tokens, special tokens included.</summary>
    public int MaxLength => _maxLength;

    /// <summary>Encodes every (query, document) pair.</summary>
    /// <param name="query">The query.</param>
    /// <param name="documents">The documents (already checked for null).</param>
    /// <param name="policy">Truncate, or throw for the first pair that does not fit.</param>
    /// <param name="side">Which end is cut; null for the tokenizer's own side.</param>
    /// <param name="cancellationToken">Checked between pairs.</param>
    /// <returns>Ids and segment ids per document.</returns>
    public (int[][] Ids, int[][] TypeIds) Encode(string query, IReadOnlyList<string> documents, OverlongInputPolicy policy, SequenceSide? side,
        CancellationToken cancellationToken)
    {
        var direction = side ?? _defaultSide;
        var options = policy == OverlongInputPolicy.Truncate
            ? new EncodeOptions { AddSpecialTokens = true, Truncation = new TruncationOptions(_maxLength, PairTruncationStrategy.LongestFirst, direction) }
            : new EncodeOptions { AddSpecialTokens = true };
        var ids = new int[documents.Count][];
        var typeIds = new int[documents.Count][];
        int? limit = policy == OverlongInputPolicy.Truncate ? _maxLength : null;
        void EncodeOne(int i)
        {
            // The ids-only pair path gives the full encoding's ids and type ids without its strings and offsets.
            if (_tokenizer.TryEncodePairToIds(query, documents[i], limit, direction, out var pairIds, out var pairTypeIds))
            {
                if (policy == OverlongInputPolicy.Error && pairIds.Length > _maxLength)
                    throw new InputTooLongException(i, pairIds.Length, _maxLength, "documents");
                ids[i] = pairIds;
                typeIds[i] = pairTypeIds;
                return;
            }
            var encoding = _tokenizer.Encode(query, documents[i], options);
            if (policy == OverlongInputPolicy.Error && encoding.Length > _maxLength)
                throw new InputTooLongException(i, encoding.Length, _maxLength, "documents");
            ids[i] = encoding.Ids;
            typeIds[i] = encoding.TypeIds;
        }

        if (documents.Count < ParallelThreshold)
        {
            for (int i = 0; i < documents.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                EncodeOne(i);
            }
        }
        else
        {
            try
            {
                Parallel.For(0, documents.Count, new ParallelOptions { CancellationToken = cancellationToken }, EncodeOne);
            }
            catch (AggregateException e)
            {
                // Report the first document that does not fit, whichever thread found one; other errors as themselves.
                if (e.InnerExceptions.OfType<InputTooLongException>().MinBy(x => x.Index) is { } tooLong) throw tooLong;
                ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
                throw;
            }
        }
        return (ids, typeIds);
    }
}
