using System.Text.Json;
using Embeddings.Models;

namespace Embeddings.Reranking;

/// <summary>
/// What config.json says about scoring, read the way sentence-transformers' CrossEncoder reads it: the activation
/// from the <c>sentence_transformers.activation_fn</c> entry (or the older <c>sbert_ce_default_activation_function</c>)
/// when it names a <c>torch.</c> class, else sigmoid for one label and identity for several.
/// </summary>
internal static class CrossEncoderConfig
{
    /// <summary>The activation for a model with <paramref name="labels"/> outputs.</summary>
    /// <param name="configPath">The model's config.json (a missing file means no override).</param>
    /// <param name="labels">The number of labels (the width of the logits).</param>
    /// <exception cref="ModelConfigurationException">The file names a torch activation this library does not implement.</exception>
    public static ScoreActivation ReadActivation(string configPath, int labels)
    {
        string? path = ConfiguredPath(configPath);
        // sentence-transformers only instantiates torch classes from a config (others need trust_remote_code and
        // fall back to the default), so a non-torch path is ignored here too.
        if (path is not null && path.StartsWith("torch.", StringComparison.Ordinal))
        {
            string name = path[(path.LastIndexOf('.') + 1)..];
            return name switch
            {
                "Sigmoid" => ScoreActivation.Sigmoid,
                "Identity" => ScoreActivation.Identity,
                "Tanh" => ScoreActivation.Tanh,
                _ => throw new ModelConfigurationException(
                    $"activation_fn \"{path}\" is not supported; this library applies Sigmoid, Identity and Tanh. Ask for raw scores and apply it yourself.", configPath),
            };
        }
        return labels == 1 ? ScoreActivation.Sigmoid : ScoreActivation.Identity;
    }

    /// <summary>The number of labels config.json declares (<c>num_labels</c> or the size of <c>id2label</c>), or null.</summary>
    public static int? ReadLabelCount(string configPath)
    {
        using var document = JsonConfigFile.TryRead(configPath);
        if (document is null) return null;
        var root = JsonConfigFile.RootObject(document, configPath);
        if (JsonConfigFile.Integer(root, "num_labels", configPath) is { } count) return (int)Math.Clamp(count, 0, int.MaxValue);
        if (root.TryGetProperty("id2label", out var labels) && labels.ValueKind == JsonValueKind.Object)
            return labels.EnumerateObject().Count();
        return null;
    }

    private static string? ConfiguredPath(string configPath)
    {
        using var document = JsonConfigFile.TryRead(configPath);
        if (document is null) return null;
        var root = JsonConfigFile.RootObject(document, configPath);
        if (root.TryGetProperty("sentence_transformers", out var section) && section.ValueKind == JsonValueKind.Object
            && JsonConfigFile.String(section, "activation_fn", configPath) is { } current)
            return current;
        return JsonConfigFile.String(root, "sbert_ce_default_activation_function", configPath);
    }

    /// <summary>Applies <paramref name="activation"/> to one logit.</summary>
    public static float Apply(ScoreActivation activation, float logit) => activation switch
    {
        ScoreActivation.Sigmoid => 1f / (1f + MathF.Exp(-logit)),
        ScoreActivation.Tanh => MathF.Tanh(logit),
        _ => logit,
    };
}
