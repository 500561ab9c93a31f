using System.Text.Json;
using Embeddings.Pooling;

namespace Embeddings.Models;

/// <summary>
/// A sentence-transformers Pooling module (<c>1_Pooling/config.json</c>): the modes, in the order their
/// vectors are concatenated, and whether prompt tokens take part.
/// </summary>
public sealed record PoolingConfig
{
    /// <summary>The pooling modes; their vectors are concatenated in this order.</summary>
    public required IReadOnlyList<PoolingMode> Modes { get; init; }

    /// <summary>False when prompt tokens are left out of the pooled tokens (<c>include_prompt: false</c>).</summary>
    public bool IncludePrompt { get; init; } = true;

    /// <summary>The token embedding width the module expects, when declared.</summary>
    public int? EmbeddingDimension { get; init; }

    /// <summary>A single mode with prompts included.</summary>
    /// <param name="mode">The mode.</param>
    public static PoolingConfig Of(PoolingMode mode) => new() { Modes = [mode] };

    /// <summary>Reads a pooling config in either format: sentence-transformers 5's <c>"pooling_mode"</c>
    /// (a name or a list) or the older <c>pooling_mode_*</c> booleans (none set means mean, as there).</summary>
    /// <param name="path">The config.json of the Pooling module.</param>
    public static PoolingConfig Load(string path)
    {
        using var document = JsonConfigFile.Read(path);
        var root = JsonConfigFile.RootObject(document, path);
        var modes = new List<PoolingMode>();
        if (root.TryGetProperty("pooling_mode", out var declared) && declared.ValueKind != JsonValueKind.Null)
        {
            if (declared.ValueKind == JsonValueKind.String) modes.Add(Parse(declared.GetString()!, path));
            else if (declared.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in declared.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                        throw new ModelConfigurationException("'pooling_mode' lists something other than mode names.", path);
                    modes.Add(Parse(item.GetString()!, path));
                }
            }
            else throw new ModelConfigurationException($"'pooling_mode' should be a name or a list of names, found {declared.ValueKind}.", path);
        }
        else
        {
            foreach (var (key, mode) in PoolingModeNames.LegacyKeys)
                if (JsonConfigFile.Boolean(root, key, path) == true) modes.Add(mode);
            if (modes.Count == 0) modes.Add(PoolingMode.Mean);
        }
        if (modes.Count == 0)
            throw new ModelConfigurationException("'pooling_mode' is an empty list.", path);
        long? dimension = JsonConfigFile.Integer(root, "embedding_dimension", path) ?? JsonConfigFile.Integer(root, "word_embedding_dimension", path);
        return new PoolingConfig
        {
            Modes = modes,
            IncludePrompt = JsonConfigFile.Boolean(root, "include_prompt", path) ?? true,
            EmbeddingDimension = dimension is > 0 and <= int.MaxValue ? (int)dimension : null,
        };
    }

    private static PoolingMode Parse(string name, string path) =>
        PoolingModeNames.TryParse(name, out var mode) ? mode : throw new ModelConfigurationException(
            $"unknown pooling mode \"{name}\"; supported: {string.Join(", ", PoolingModeNames.All)}.", path);
}
