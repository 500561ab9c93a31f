using System.Text.Json;
using Embeddings.TestModels;

namespace Embeddings.Onnx.Tests.Support;

/// <summary>Reads a model fixture's refs.jsonl (see the fixtures' README for the record types).</summary>
internal static class ReferenceRecords
{
    /// <summary>A <c>tokens</c> record: ids and the reference last_hidden_state of every token.</summary>
    public sealed record TokenStates(string Id, long[] InputIds, float[][] States);

    /// <summary>A <c>sparse</c> record: ids and the reference SPLADE vector (nonzero entries).</summary>
    public sealed record SparseVector(string Id, long[] InputIds, int[] Indices, float[] Values);

    /// <summary>An <c>embedding</c> record: the raw text, its prompt, the reference vector and, for batch records, its batch.</summary>
    public sealed record EmbeddingVector(string Id, string Text, string? PromptName, long[] InputIds, float[] Embedding, string? BatchId, int BatchIndex);

    public static string ModelFile(string model) => Path.Combine(Fixtures.ModelDir(model), "onnx", "model.onnx");

    public static IReadOnlyList<TokenStates> Tokens(string model) =>
        Records(model, "tokens").Select(r => new TokenStates(
            r.GetProperty("id").GetString()!,
            Longs(r.GetProperty("input_ids")),
            r.GetProperty("embeddings").EnumerateArray().Select(Floats).ToArray())).ToArray();

    public static IReadOnlyList<SparseVector> Sparse(string model) =>
        Records(model, "sparse").Where(r => r.GetProperty("mode").GetString() == "single").Select(r => new SparseVector(
            r.GetProperty("id").GetString()!,
            Longs(r.GetProperty("input_ids")),
            r.GetProperty("indices").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            Floats(r.GetProperty("values")))).ToArray();

    /// <summary>Embedding records with a reference vector (a decoder's empty text has none).</summary>
    public static IReadOnlyList<EmbeddingVector> Embeddings(string model) =>
        Records(model, "embedding").Where(r => r.GetProperty("embedding").ValueKind == JsonValueKind.Array).Select(r => new EmbeddingVector(
            r.GetProperty("id").GetString()!,
            r.GetProperty("text").GetString()!,
            r.TryGetProperty("prompt_name", out var prompt) && prompt.ValueKind == JsonValueKind.String ? prompt.GetString() : null,
            Longs(r.GetProperty("input_ids")),
            Floats(r.GetProperty("embedding")),
            r.TryGetProperty("batch", out var batch) ? batch.GetProperty("id").ToString() : null,
            r.TryGetProperty("batch", out var b) ? b.GetProperty("index").GetInt32() : 0)).ToArray();

    private static IEnumerable<JsonElement> Records(string model, string type)
    {
        foreach (var line in File.ReadLines(Path.Combine(Fixtures.ModelDir(model), "refs.jsonl")))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var record = JsonDocument.Parse(line).RootElement;
            if (record.GetProperty("type").GetString() == type) yield return record;
        }
    }

    private static long[] Longs(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt64()).ToArray();

    private static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => e.GetSingle()).ToArray();
}
