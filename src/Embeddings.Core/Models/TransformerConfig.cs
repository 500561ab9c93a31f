namespace Embeddings.Models;

/// <summary>The parts of a Hugging Face <c>config.json</c> that matter for embedding.</summary>
public sealed record TransformerConfig
{
    /// <summary><c>model_type</c>, e.g. <c>bert</c>, <c>xlm-roberta</c>, <c>qwen3</c>; null when absent.</summary>
    public string? ModelType { get; init; }

    /// <summary><c>hidden_size</c> (or <c>d_model</c>/<c>dim</c>), when declared.</summary>
    public int? HiddenSize { get; init; }

    /// <summary><c>vocab_size</c>, when declared: ids at or above it are out of the embedding table.</summary>
    public int? VocabularySize { get; init; }

    /// <summary><c>max_position_embeddings</c> (or <c>n_positions</c>), when declared.</summary>
    public int? MaxPositionEmbeddings { get; init; }

    /// <summary><c>pad_token_id</c>, when declared.</summary>
    public int? PadTokenId { get; init; }

    /// <summary>True for causal decoders (Qwen, Llama, Mistral, Gemma…), which pool the last token and pad on the left.</summary>
    public bool IsDecoder => ModelType is { } type && DecoderTypes.Contains(type);

    /// <summary>
    /// The longest sequence the position table allows. RoBERTa-style models start positions at
    /// <c>pad_token_id + 1</c>, so 514 positions hold 512 tokens.
    /// </summary>
    public int? MaxSequenceLength => MaxPositionEmbeddings is not { } positions
        ? null
        : ModelType is { } type && PaddingOffsetTypes.Contains(type) ? positions - (PadTokenId ?? 1) - 1 : positions;

    private static readonly HashSet<string> DecoderTypes = new(StringComparer.Ordinal)
    {
        "qwen2", "qwen3", "qwen2_moe", "qwen3_moe", "llama", "mistral", "gemma", "gemma2", "gemma3", "gemma3_text",
        "phi", "phi3", "gpt2", "gpt_neox", "gptj", "falcon", "olmo", "olmo2", "stablelm", "starcoder2",
    };

    private static readonly HashSet<string> PaddingOffsetTypes = new(StringComparer.Ordinal)
    {
        "roberta", "xlm-roberta", "camembert", "xlm-roberta-xl", "longformer", "bart", "mbart", "data2vec-text", "mpnet",
    };

    /// <summary>Reads <c>config.json</c> from <paramref name="path"/>; a missing file gives an empty config.</summary>
    /// <param name="path">The file.</param>
    public static TransformerConfig Load(string path)
    {
        using var document = JsonConfigFile.TryRead(path);
        if (document is null) return new TransformerConfig();
        var root = JsonConfigFile.RootObject(document, path);
        return new TransformerConfig
        {
            ModelType = JsonConfigFile.String(root, "model_type", path),
            HiddenSize = ToInt(JsonConfigFile.Integer(root, "hidden_size", path)
                ?? JsonConfigFile.Integer(root, "d_model", path) ?? JsonConfigFile.Integer(root, "dim", path)),
            VocabularySize = ToInt(JsonConfigFile.Integer(root, "vocab_size", path)),
            MaxPositionEmbeddings = PositionCount(root, path),
            PadTokenId = ToInt(JsonConfigFile.Integer(root, "pad_token_id", path)),
        };
    }

    // A position table beyond the supported sequence length is a broken file, refused here rather than overflowing
    // buffer sizes at the first call.
    private static int? PositionCount(System.Text.Json.JsonElement root, string path)
    {
        var field = "max_position_embeddings";
        var positions = JsonConfigFile.Integer(root, field, path);
        if (positions is null)
        {
            field = "n_positions";
            positions = JsonConfigFile.Integer(root, field, path);
        }
        if (positions > ModelFolder.MaxSupportedSequenceLength)
            throw new ModelConfigurationException(
                $"'{field}' is {positions}; the largest supported sequence length is {ModelFolder.MaxSupportedSequenceLength} tokens.", path);
        return ToInt(positions);
    }

    private static int? ToInt(long? value) => value is null ? null : (int)Math.Clamp(value.Value, int.MinValue, int.MaxValue);
}
