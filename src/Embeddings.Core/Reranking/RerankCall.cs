using Embeddings.Pipelines;

namespace Embeddings.Reranking;

/// <summary>
/// One rerank call after tokenization: the (query, document) pairs to run, each pair's logit kept as it arrives,
/// and the sorted, activated, top-k result at the end. Runs alone or merged with other calls in the queue.
/// </summary>
internal sealed class RerankCall : PreparedCall<IReadOnlyList<RerankResult>>
{
    private readonly int[][] _ids;
    private readonly int[][] _typeIds;
    private readonly float[] _logits;
    private readonly ScoreActivation? _activation;
    private readonly int? _topK;

    /// <param name="ids">Token ids per pair.</param>
    /// <param name="typeIds">Segment ids per pair.</param>
    /// <param name="outputName">The model's logits output.</param>
    /// <param name="activation">Applied to each logit; null keeps raw logits.</param>
    /// <param name="topK">How many results to keep; null for all.</param>
    public RerankCall(int[][] ids, int[][] typeIds, string outputName, ScoreActivation? activation, int? topK)
    {
        _ids = ids;
        _typeIds = typeIds;
        OutputName = outputName;
        _activation = activation;
        _topK = topK;
        _logits = new float[ids.Length];
    }

    public override IReadOnlyList<int[]> Ids => _ids;
    public override IReadOnlyList<int[]> TypeIds => _typeIds;
    public override string OutputName { get; }

    public override void OnRow(int index, ReadOnlySpan<float> rows, ReadOnlySpan<long> mask, int width)
    {
        if (width != 1)
            throw new InvalidOperationException($"The model gives {width} logits per pair; reranking needs a single relevance logit.");
        _logits[index] = rows[0];
    }

    public override IReadOnlyList<RerankResult> Finish()
    {
        var results = new RerankResult[_logits.Length];
        for (int i = 0; i < results.Length; i++)
            results[i] = new RerankResult(i, _activation is { } activation ? CrossEncoderConfig.Apply(activation, _logits[i]) : _logits[i]);
        // Highest first; equal scores keep input order (a stable order from an unstable sort).
        Array.Sort(results, static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Index.CompareTo(b.Index));
        return _topK is { } k && k < results.Length ? results[..k] : results;
    }
}
