using System.Text.Json;

namespace Embeddings.Models;

/// <summary>
/// <c>config_sentence_transformers.json</c>: prompts, the default prompt, the similarity function and
/// whether the folder is a SparseEncoder.
/// </summary>
public sealed record SentenceTransformersConfig
{
    /// <summary>Named prompts prepended to the text before tokenization (e.g. <c>query</c> → <c>"query: "</c>).</summary>
    public IReadOnlyDictionary<string, string> Prompts { get; init; } = new Dictionary<string, string>();

    /// <summary>The prompt used when the caller names none, if any.</summary>
    public string? DefaultPromptName { get; init; }

    /// <summary>The similarity function the model was trained for.</summary>
    public SimilarityFunction Similarity { get; init; } = SimilarityFunction.Cosine;

    /// <summary>True when <c>model_type</c> is <c>SparseEncoder</c> (SPLADE and friends).</summary>
    public bool IsSparseEncoder { get; init; }

    /// <summary>Reads the file; a missing file gives the defaults.</summary>
    /// <param name="path">The file.</param>
    public static SentenceTransformersConfig Load(string path)
    {
        using var document = JsonConfigFile.TryRead(path);
        if (document is null) return new SentenceTransformersConfig();
        var root = JsonConfigFile.RootObject(document, path);
        var prompts = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("prompts", out var promptsElement) && promptsElement.ValueKind != JsonValueKind.Null)
        {
            if (promptsElement.ValueKind != JsonValueKind.Object)
                throw new ModelConfigurationException("'prompts' should map names to prompt texts.", path);
            foreach (var prompt in promptsElement.EnumerateObject())
            {
                if (prompt.Value.ValueKind != JsonValueKind.String)
                    throw new ModelConfigurationException($"prompt '{prompt.Name}' should be a string.", path);
                prompts[prompt.Name] = prompt.Value.GetString()!;
            }
        }
        string? defaultPrompt = JsonConfigFile.String(root, "default_prompt_name", path);
        if (defaultPrompt is not null && !prompts.ContainsKey(defaultPrompt))
            throw new ModelConfigurationException($"default_prompt_name \"{defaultPrompt}\" is not one of the prompts ({string.Join(", ", prompts.Keys)}).", path);
        string? similarity = JsonConfigFile.String(root, "similarity_fn_name", path);
        return new SentenceTransformersConfig
        {
            Prompts = prompts,
            DefaultPromptName = defaultPrompt,
            Similarity = similarity switch
            {
                null or "cosine" => SimilarityFunction.Cosine,
                "dot" or "dot_product" => SimilarityFunction.Dot,
                "euclidean" => SimilarityFunction.Euclidean,
                "manhattan" => SimilarityFunction.Manhattan,
                // Multi-vector folders score with MaxSim over token rows (MultiVectorConfig reads which); a
                // single-vector similarity does not apply to them.
                "maxsim" or "meanmaxsim" => SimilarityFunction.Dot,
                _ => throw new ModelConfigurationException($"similarity_fn_name \"{similarity}\" is unknown; expected cosine, dot, euclidean or manhattan.", path),
            },
            IsSparseEncoder = JsonConfigFile.String(root, "model_type", path) == "SparseEncoder",
        };
    }
}
