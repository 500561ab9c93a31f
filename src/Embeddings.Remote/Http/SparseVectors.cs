using System.Text.Json;

namespace Embeddings.Remote.Http;

/// <summary>Sparse vectors from an /embed_sparse answer (<c>[[{"index", "value"}]]</c>), with the call's top-k and minimum weight applied.</summary>
internal static class SparseVectors
{
    public static SparseEmbedding[] Read(JsonElement root, int count, int vocabularySize, SparseEmbeddingOptions options, Uri uri)
    {
        if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() != count)
            throw new RemoteEmbedderException($"{uri} answered {root.ValueKind} for {count} inputs; expected {count} sparse vectors.", uri, 200, null);
        var result = new SparseEmbedding[count];
        int item = 0;
        foreach (var vector in root.EnumerateArray())
        {
            var entries = new List<(int Index, float Value)>(vector.GetArrayLength());
            foreach (var entry in vector.EnumerateArray())
            {
                int index = entry.GetProperty("index").GetInt32();
                float value = entry.GetProperty("value").GetSingle();
                if (index < 0 || vocabularySize > 0 && index >= vocabularySize)
                    throw new RemoteEmbedderException($"{uri} answered index {index} for input {item}, outside the vocabulary of {vocabularySize}.", uri, 200, null);
                if (value > options.MinWeight) entries.Add((index, value));
            }
            if (options.TopK is { } k && entries.Count > k)
                entries = entries.OrderByDescending(e => e.Value).ThenBy(e => e.Index).Take(k).ToList();
            entries.Sort((a, b) => a.Index.CompareTo(b.Index));
            int dimension = vocabularySize > 0 ? vocabularySize : entries.Count == 0 ? 0 : entries[^1].Index + 1;
            result[item++] = new SparseEmbedding(entries.Select(e => e.Index).ToArray(), entries.Select(e => e.Value).ToArray(), dimension, static _ => null);
        }
        return result;
    }
}
