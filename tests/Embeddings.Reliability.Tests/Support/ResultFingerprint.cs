namespace Embeddings.Reliability.Tests.Support;

/// <summary>
/// Everything a call returned, flattened: the integers (counts, ids, offsets, indexes) and the floats (vectors,
/// weights) in order. Two fingerprints compare exactly on integers and bitwise or within a tolerance on floats.
/// </summary>
internal sealed class ResultFingerprint
{
    private readonly List<int> _integers = [];
    private readonly List<float> _floats = [];

    public IReadOnlyList<int> Integers => _integers;

    public IReadOnlyList<float> Floats => _floats;

    public static ResultFingerprint Of(EmbeddingResult result)
    {
        var print = new ResultFingerprint();
        print._integers.Add(result.Dimensions);
        print._integers.AddRange(result.TokenCounts);
        print._integers.Add(-1);
        print._integers.AddRange(result.TruncatedIndexes);
        print._floats.AddRange(result.Data.ToArray());
        return print;
    }

    public static ResultFingerprint Of(IReadOnlyList<TokenEmbeddings> results)
    {
        var print = new ResultFingerprint();
        foreach (var tokens in results)
        {
            print._integers.Add(tokens.Count);
            print._integers.AddRange(tokens.Ids);
            foreach (var offset in tokens.Offsets) print._integers.AddRange([offset.Start, offset.End]);
            print._floats.AddRange(tokens.Vectors.ToArray());
        }
        return print;
    }

    public static ResultFingerprint Of(IReadOnlyList<SparseEmbedding> results)
    {
        var print = new ResultFingerprint();
        foreach (var sparse in results)
        {
            print._integers.Add(sparse.Count);
            print._integers.AddRange(sparse.Indices);
            print._floats.AddRange(sparse.Values);
        }
        return print;
    }

    public static ResultFingerprint Of(IReadOnlyList<IReadOnlyList<DocumentChunk>> results)
    {
        var print = new ResultFingerprint();
        foreach (var document in results)
        {
            print._integers.Add(document.Count);
            foreach (var chunk in document)
            {
                print._integers.AddRange([chunk.Start, chunk.End, chunk.TokenCount]);
                print._floats.AddRange(chunk.Embedding.ToArray());
            }
        }
        return print;
    }

    /// <summary>
    /// Null when <paramref name="actual"/> matches: integers exactly, floats bitwise (<paramref name="tolerance"/> 0) or
    /// within <paramref name="tolerance"/>. Otherwise where they first differ.
    /// </summary>
    public string? Difference(ResultFingerprint actual, float tolerance = 0)
    {
        if (!_integers.SequenceEqual(actual._integers))
            return $"integers differ (counts {_integers.Count} and {actual._integers.Count}; first at {CommonPrefix(_integers, actual._integers)})";
        if (_floats.Count != actual._floats.Count) return $"{_floats.Count} floats expected, {actual._floats.Count} found";
        for (int i = 0; i < _floats.Count; i++)
        {
            float a = _floats[i], b = actual._floats[i];
            bool same = tolerance == 0
                ? BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b)
                : float.IsFinite(b) && Math.Abs(a - b) <= tolerance;
            if (!same) return $"float {i} is {b:R}, expected {a:R}";
        }
        return null;
    }

    private static int CommonPrefix(List<int> a, List<int> b)
    {
        int i = 0;
        while (i < a.Count && i < b.Count && a[i] == b[i]) i++;
        return i;
    }
}
