using Embeddings.Tokenization;

namespace Embeddings;

/// <summary>
/// One text's sparse vector from <see cref="IEmbedder.EmbedSparse"/>: vocabulary indexes with positive weights,
/// sorted by index, as TEI's /embed_sparse and sentence-transformers' SparseEncoder give them.
/// </summary>
public sealed class SparseEmbedding
{
    private readonly Func<int, string?> _idToToken;
    private string[]? _tokens;

    internal SparseEmbedding(int[] indices, float[] values, int dimension, Tokenizer tokenizer, bool truncated = false)
        : this(indices, values, dimension, tokenizer.IdToToken, truncated)
    {
    }

    /// <summary>A vector whose tokens come from <paramref name="idToToken"/> (null for an id it does not know).</summary>
    internal SparseEmbedding(int[] indices, float[] values, int dimension, Func<int, string?> idToToken, bool truncated = false)
    {
        WasTruncated = truncated;
        Indices = indices;
        Values = values;
        Dimension = dimension;
        _idToToken = idToToken;
    }

    /// <summary>Vocabulary indexes with a weight, ascending.</summary>
    public IReadOnlyList<int> Indices { get; }

    /// <summary>The weight of each index.</summary>
    public IReadOnlyList<float> Values { get; }

    /// <summary>The vector's full width (the vocabulary size).</summary>
    public int Dimension { get; }

    /// <summary>Whether the text was longer than the model's limit and was cut to fit.</summary>
    public bool WasTruncated { get; }

    /// <summary>Number of entries.</summary>
    public int Count => Indices.Count;

    /// <summary>The vocabulary token of each index (decoded on first use).</summary>
    public IReadOnlyList<string> Tokens => _tokens ??= Indices.Select(i => _idToToken(i) ?? $"[{i}]").ToArray();

    /// <summary>The vector written out densely.</summary>
    public float[] ToDense()
    {
        var dense = new float[Dimension];
        for (int i = 0; i < Count; i++) dense[Indices[i]] = Values[i];
        return dense;
    }
}
