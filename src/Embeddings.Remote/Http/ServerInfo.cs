using System.Text.Json;
using Embeddings.Models;
using Embeddings.Pooling;

namespace Embeddings.Remote.Http;

/// <summary>
/// A server's GET /info: TEI's fields (model_id, model_type, max_input_length, max_client_batch_size, …) and, from
/// the Embeddings server, the rest of <see cref="EmbedderInfo"/> (hidden and vocabulary sizes, prompts, what the
/// model offers). Fields a server does not give take TEI's meaning: an embedding model gives dense vectors only.
/// </summary>
internal sealed record ServerInfo(EmbedderInfo Embedder, int MaxClientBatchSize, bool SupportsDense)
{
    public static ServerInfo Read(JsonElement root, Uri uri)
    {
        if (root.ValueKind != JsonValueKind.Object) throw Malformed(uri, "it is not a JSON object");
        string modelId = String(root, "model_id") ?? throw Malformed(uri, "model_id is missing");
        string pooling = root.TryGetProperty("model_type", out var type) && type.ValueKind == JsonValueKind.Object
            && type.TryGetProperty("embedding", out var embedding) && embedding.ValueKind == JsonValueKind.Object
                ? String(embedding, "pooling") ?? "none"
                : throw Malformed(uri, "model_type.embedding is missing: the server does not serve an embedding model (TEI serves classifiers and rerankers too)");
        bool sparseByPooling = pooling == "splade";
        bool supportsSparse = Bool(root, "supports_sparse") ?? sparseByPooling;
        bool supportsDense = Bool(root, "supports_dense") ?? !sparseByPooling;
        int dimensions = supportsDense ? Int(root, "dimensions") ?? 0 : 0;
        var prompts = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("prompts", out var promptList) && promptList.ValueKind == JsonValueKind.Object)
            foreach (var prompt in promptList.EnumerateObject())
                if (prompt.Value.ValueKind == JsonValueKind.String) prompts[prompt.Name] = prompt.Value.GetString()!;

        var info = new EmbedderInfo
        {
            ModelId = modelId,
            Dimensions = dimensions,
            HiddenSize = Int(root, "hidden_size") ?? 0,
            MaxSequenceLength = Int(root, "max_input_length") ?? throw Malformed(uri, "max_input_length is missing"),
            VocabularySize = Int(root, "vocab_size") ?? Int(root, "sparse_dimensions") ?? 0,
            Pooling = sparseByPooling || pooling == "none" ? [] : pooling.Split('+').Select(Pooling).ToArray(),
            // TEI normalizes /embed's vectors unless told not to.
            Normalize = Bool(root, "normalize") ?? true,
            Prompts = prompts,
            DefaultPromptName = String(root, "default_prompt_name"),
            Similarity = Enum.TryParse<SimilarityFunction>(String(root, "similarity"), ignoreCase: true, out var similarity) ? similarity : SimilarityFunction.Cosine,
            PaddingSide = Enum.TryParse<SequenceSide>(String(root, "padding_side"), ignoreCase: true, out var side) ? side : SequenceSide.Right,
            SupportsSparse = supportsSparse,
            // TEI serves /embed_all for every embedding model.
            SupportsTokenEmbeddings = Bool(root, "supports_token_embeddings") ?? true,
            BatchDependent = Bool(root, "batch_dependent") ?? Bool(root, "dynamically_quantized") ?? false, // the older field name, from earlier servers
        };
        int maxClientBatchSize = Int(root, "max_client_batch_size") is { } limit and >= 1 ? limit : throw Malformed(uri, "max_client_batch_size is missing");
        return new ServerInfo(info, maxClientBatchSize, supportsDense);
    }

    private static PoolingMode Pooling(string name) =>
        PoolingModeNames.TryParse(name, out var mode) || Enum.TryParse(name, ignoreCase: true, out mode) ? mode : PoolingMode.Mean;

    private static RemoteEmbedderException Malformed(Uri uri, string why) =>
        new($"{uri} is not a TEI-compatible /info answer: {why}.", uri, 200, null);

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Int(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) ? number : null;

    private static bool? Bool(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
}
