using System.Collections;

namespace Embeddings;

/// <summary>
/// The vectors of one <see cref="IEmbedder.Embed"/> call, in input order, in one contiguous
/// [<see cref="Count"/> × <see cref="Dimensions"/>] buffer; each item is a view into it, so reading
/// results allocates nothing.
/// </summary>
public sealed class EmbeddingResult : IReadOnlyList<ReadOnlyMemory<float>>
{
    private readonly float[] _data;
    private readonly int[] _tokenCounts;
    private readonly int[] _truncated;

    /// <summary>Creates a result over a filled buffer.</summary>
    /// <param name="data">[count × dimensions] values, row i for input i.</param>
    /// <param name="dimensions">The vector width.</param>
    /// <param name="tokenCounts">Tokens fed to the model for each input, special and prompt tokens included.</param>
    /// <param name="truncatedIndexes">Inputs that were cut to fit, ascending.</param>
    public EmbeddingResult(float[] data, int dimensions, int[] tokenCounts, int[] truncatedIndexes)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(tokenCounts);
        ArgumentNullException.ThrowIfNull(truncatedIndexes);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        if (data.Length != (long)tokenCounts.Length * dimensions)
            throw new ArgumentException("data must hold one row of `dimensions` values per token count.", nameof(data));
        _data = data;
        Dimensions = dimensions;
        _tokenCounts = tokenCounts;
        _truncated = truncatedIndexes;
    }

    /// <summary>Number of vectors (= number of inputs).</summary>
    public int Count => _tokenCounts.Length;

    /// <summary>Width of each vector.</summary>
    public int Dimensions { get; }

    /// <summary>All vectors back to back, row-major.</summary>
    public ReadOnlyMemory<float> Data => _data;

    /// <summary>The vector of input <paramref name="index"/>.</summary>
    /// <param name="index">The input's position in the caller's list.</param>
    public ReadOnlyMemory<float> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return new ReadOnlyMemory<float>(_data, index * Dimensions, Dimensions);
        }
    }

    /// <summary>Tokens fed to the model for each input (after truncation), special and prompt tokens included.</summary>
    public IReadOnlyList<int> TokenCounts => _tokenCounts;

    /// <summary>The inputs that were truncated to fit the model, ascending.</summary>
    public IReadOnlyList<int> TruncatedIndexes => _truncated;

    /// <summary>Total tokens fed to the model.</summary>
    public long TotalTokens => _tokenCounts.Sum(c => (long)c);

    /// <summary>Joins results of consecutive slices of one call into one result.</summary>
    internal static EmbeddingResult Concat(IReadOnlyList<EmbeddingResult> parts)
    {
        if (parts.Count == 1) return parts[0];
        int dimensions = parts[0].Dimensions;
        var data = new float[parts.Sum(p => (long)p._data.Length)];
        var counts = new int[parts.Sum(p => p.Count)];
        var truncated = new List<int>();
        int row = 0;
        foreach (var part in parts)
        {
            part._data.CopyTo(data, (long)row * dimensions);
            part._tokenCounts.CopyTo(counts, row);
            truncated.AddRange(part._truncated.Select(i => i + row));
            row += part.Count;
        }
        return new EmbeddingResult(data, dimensions, counts, truncated.ToArray());
    }

    /// <summary>A copy of vector <paramref name="index"/> as an array.</summary>
    /// <param name="index">The input's position.</param>
    public float[] ToArray(int index) => this[index].ToArray();

    /// <inheritdoc/>
    public IEnumerator<ReadOnlyMemory<float>> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
