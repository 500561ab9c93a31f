using System.Text.Json;
using Embeddings.Pooling;

namespace Embeddings.Models;

/// <summary>
/// A sentence-transformers Pooling module (<c>1_Pooling/config.json</c>): the modes, in the order their
/// vectors are concatenated, and whether prompt tokens take part.
/// </summary>
public sealed record PoolingConfig
{
    /// <summary>The canonical concatenation order of sentence-transformers.</summary>
    private static readonly (string Key, string Name, PoolingMode Mode)[] Legacy =
    [
        ("pooling_mode_cls_token", "cls", PoolingMode.Cls),
        ("pooling_mode_max_tokens", "max", PoolingMode.Max),
        ("pooling_mode_mean_tokens", "mean", PoolingMode.Mean),
        ("pooling_mode_mean_sqrt_len_tokens", "mean_sqrt_len_tokens", PoolingMode.MeanSqrtLength),
        ("pooling_mode_weightedmean_tokens", "weightedmean", PoolingMode.WeightedMean),
        ("pooling_mode_lasttoken", "lasttoken", PoolingMode.LastToken),
    ];

    /// <summary>The pooling modes; their vectors are concatenated in this order.</summary>
    public required IReadOnlyList<PoolingMode> Modes { get; init; }

    /// <summary>False when prompt tokens are left out of the pooled tokens (<c>include_prompt: false</c>).</summary>
    public bool IncludePrompt { get; init; } = true;

    /// <summary>The token embedding width the module expects, when declared.</summary>
    public int? EmbeddingDimension { get; init; }

    /// <summary>A single mode with prompts included.</summary>
    /// <param name="mode">The mode.</param>
    public static PoolingConfig Of(PoolingMode mode) => new() { Modes = [mode] };

    /// <summary>Parses a pooling mode name as sentence-transformers writes it (<c>mean</c>, <c>cls</c>, <c>lasttoken</c>…).</summary>
    /// <param name="name">The name; a few common spellings are accepted (<c>last</c>, <c>last_token</c>, <c>mean_sqrt_len</c>).</param>
    /// <returns>The mode, or null when the name is unknown.</returns>
    public static PoolingMode? ParseMode(string name) => name.Trim().ToLowerInvariant() switch
    {
        "cls" or "cls_token" => PoolingMode.Cls,
        "mean" or "mean_tokens" or "avg" => PoolingMode.Mean,
        "max" or "max_tokens" => PoolingMode.Max,
        "mean_sqrt_len_tokens" or "mean_sqrt_len" => PoolingMode.MeanSqrtLength,
        "weightedmean" or "weightedmean_tokens" or "weighted_mean" => PoolingMode.WeightedMean,
        "lasttoken" or "last_token" or "last" => PoolingMode.LastToken,
        _ => null,
    };

    /// <summary>The name sentence-transformers uses for <paramref name="mode"/>.</summary>
    /// <param name="mode">The mode.</param>
    public static string NameOf(PoolingMode mode) => Legacy.First(entry => entry.Mode == mode).Name;

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
            foreach (var (key, _, mode) in Legacy)
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
        ParseMode(name) ?? throw new ModelConfigurationException(
            $"unknown pooling mode \"{name}\"; supported: cls, mean, max, mean_sqrt_len_tokens, weightedmean, lasttoken.", path);
}
