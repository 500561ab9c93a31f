using System.Text.Json;
using Embeddings.PostProcessing;

namespace Embeddings.Models;

/// <summary>
/// What makes a folder a multi-vector (late-interaction, ColBERT-style) model and how it turns token states into
/// scoring rows, read the way sentence-transformers 6's <c>MultiVectorEncoder</c> reads it: per-role length
/// limits and query expansion from the Transformer's <c>sentence_bert_config.json</c>, the token-level Dense
/// chain, the <c>MultiVectorMask</c> module and a token-level Normalize, and the <c>query</c> / <c>document</c>
/// prompts. PyLate folders (<c>model_type: "ColBERT"</c>, top-level <c>query_prefix</c>, <c>query_length</c>,
/// <c>do_query_expansion</c>, <c>skiplist_words</c>…) are read with the defaults sentence-transformers applies
/// to them.
/// </summary>
/// <remarks>Immutable.</remarks>
public sealed record MultiVectorConfig
{
    /// <summary>The prompt name sentence-transformers uses for queries.</summary>
    public const string QueryPromptName = "query";

    /// <summary>The prompt name sentence-transformers uses for documents.</summary>
    public const string DocumentPromptName = "document";

    /// <summary>The classic ColBERT query width, used when a PyLate folder turns expansion on without a length.</summary>
    public const int DefaultExpansionLength = 32;

    /// <summary>Longest query in tokens (special tokens included), or null for the model's limit.</summary>
    public int? QueryLength { get; init; }

    /// <summary>Longest document in tokens (special tokens included), or null for the model's limit.</summary>
    public int? DocumentLength { get; init; }

    /// <summary>Query expansion, or null for none.</summary>
    public QueryExpansion? QueryExpansion { get; init; }

    /// <summary>The token-level Dense modules, in order (each maps every token row).</summary>
    public IReadOnlyList<DenseLayer> DenseLayers { get; init; } = [];

    /// <summary>True when each kept row is L2-normalized at the end.</summary>
    public bool Normalize { get; init; }

    /// <summary>The <c>MultiVectorMask</c> module, or null when the chain has none (then every real token is
    /// kept and expansion positions only when the encoder attends to them).</summary>
    public MultiVectorMaskConfig? Mask { get; init; }

    /// <summary>The prompts by name, including PyLate's <c>query_prefix</c> / <c>document_prefix</c> under
    /// <see cref="QueryPromptName"/> / <see cref="DocumentPromptName"/>.</summary>
    public IReadOnlyDictionary<string, string> Prompts { get; init; } = new Dictionary<string, string>();

    /// <summary>PyLate's <c>query_prefix</c> / <c>document_prefix</c> values: markers the model was trained with as
    /// inserted token ids, which are registered as special tokens so the text prompt tokenizes the same way.</summary>
    public IReadOnlyList<string> LegacyPrefixes { get; init; } = [];

    /// <summary>True when the model scores with MeanMaxSim (<c>similarity_fn_name: "meanmaxsim"</c>): MaxSim
    /// divided by the number of query rows.</summary>
    public bool LengthNormalizedScores { get; init; }

    /// <summary>The width of the rows: the last Dense module's output, or null when there is no Dense module
    /// (then the model's hidden size).</summary>
    public int? Dimensions => DenseLayers.Count > 0 ? DenseLayers[^1].OutFeatures : null;

    /// <summary>
    /// Reads the multi-vector settings of a folder, or returns null when the folder is not a multi-vector model
    /// (its <c>config_sentence_transformers.json</c> names no <c>MultiVectorEncoder</c> / <c>ColBERT</c> model
    /// type and modules.json has no <c>MultiVectorMask</c>).
    /// </summary>
    /// <param name="directory">The model folder.</param>
    /// <param name="modules">modules.json's entries.</param>
    /// <param name="sentenceBertConfigPath">The Transformer's sentence_bert_config.json.</param>
    /// <param name="prompts">The prompts of config_sentence_transformers.json.</param>
    /// <exception cref="ModelConfigurationException">A setting is malformed or the chain cannot run per token.</exception>
    public static MultiVectorConfig? TryLoad(string directory, IReadOnlyList<ModuleEntry> modules, string sentenceBertConfigPath,
        IReadOnlyDictionary<string, string> prompts)
    {
        string stPath = Path.Combine(directory, "config_sentence_transformers.json");
        using var stDocument = JsonConfigFile.TryRead(stPath);
        JsonElement? stRoot = stDocument is null ? null : JsonConfigFile.RootObject(stDocument, stPath);
        string? modelType = stRoot is { } r ? JsonConfigFile.String(r, "model_type", stPath) : null;
        bool pyLateV3 = modelType == "ColBERT";
        if (modelType != "MultiVectorEncoder" && !pyLateV3 && modules.All(m => m.Kind != ModuleKind.MultiVectorMask))
            return null;

        var dense = new List<DenseLayer>();
        bool normalize = false;
        MultiVectorMaskConfig? mask = null;
        foreach (var module in modules)
        {
            string moduleDir = ModelPaths.Inside(directory, module.Path, Path.Combine(directory, "modules.json"));
            switch (module.Kind)
            {
                case ModuleKind.Dense:
                    if (normalize)
                        throw new ModelConfigurationException("a Dense module follows the Normalize module; multi-vector rows are normalized last.", moduleDir);
                    dense.Add(DenseLayer.Load(moduleDir));
                    break;
                case ModuleKind.Normalize:
                    normalize = true;
                    break;
                case ModuleKind.MultiVectorMask:
                    mask = MultiVectorMaskConfig.Load(Path.Combine(moduleDir, "config.json"));
                    break;
                case ModuleKind.Pooling:
                case ModuleKind.SpladePooling:
                    throw new ModelConfigurationException(
                        $"a multi-vector model keeps one vector per token, but modules.json lists a {module.TypeName} module.", Path.Combine(directory, "modules.json"));
            }
        }

        // The Transformer's own settings win over the legacy top-level ones (sentence-transformers passes the
        // legacy values as defaults only).
        var (queryLength, documentLength, expansion, hasExpansionKey) = ReadTransformerSettings(sentenceBertConfigPath);
        var mergedPrompts = new Dictionary<string, string>(prompts, StringComparer.Ordinal);
        var legacyPrefixes = new List<string>();
        if (stRoot is { } root)
        {
            foreach (var (prefixKey, promptName) in new[] { ("query_prefix", QueryPromptName), ("document_prefix", DocumentPromptName) })
                if (JsonConfigFile.String(root, prefixKey, stPath) is { } prefix)
                {
                    legacyPrefixes.Add(prefix);
                    if (string.IsNullOrEmpty(mergedPrompts.GetValueOrDefault(promptName))) mergedPrompts[promptName] = prefix;
                }

            int? legacyQueryLength = PositiveOrNull(root, "query_length", stPath);
            int? legacyDocumentLength = PositiveOrNull(root, "document_length", stPath);
            documentLength ??= legacyDocumentLength;
            bool legacyHasExpansion = root.TryGetProperty("query_expansion", out var legacyExpansion);
            if (!hasExpansionKey && legacyHasExpansion)
            {
                expansion = ParseExpansion(legacyExpansion, stPath);
                hasExpansionKey = true;
            }
            string[] markers = ["query_length", "document_length", "query_expansion", "do_query_expansion", "attend_to_expansion_tokens",
                "attend_to_mask_tokens", "query_prefix", "document_prefix", "skiplist_words"];
            if (!hasExpansionKey && markers.Any(marker => root.TryGetProperty(marker, out _)))
            {
                // PyLate saved expansion as flat flags with query_length as the width; it is on unless turned off.
                if (JsonConfigFile.Boolean(root, "do_query_expansion", stPath) is not false)
                {
                    bool attend = JsonConfigFile.Boolean(root, "attend_to_expansion_tokens", stPath)
                        ?? JsonConfigFile.Boolean(root, "attend_to_mask_tokens", stPath) ?? false;
                    expansion = new QueryExpansion(QueryExpansionStrategy.Fixed, legacyQueryLength ?? DefaultExpansionLength, attend, null);
                    legacyQueryLength = null;
                }
            }
            queryLength ??= legacyQueryLength;

            if (pyLateV3)
            {
                // PyLate 3 applied its mask and normalization inline and listed only Transformer and Dense.
                mask ??= new MultiVectorMaskConfig(MultiVectorMaskConfig.Strings(root, "skiplist_words", stPath) ?? [.. MultiVectorMaskConfig.AsciiPunctuation], ["document"], null);
                normalize = true;
            }
        }
        if (expansion is not null && queryLength is { } cap && cap < expansion.Length)
            throw new ModelConfigurationException($"query_length {cap} is smaller than the query expansion length {expansion.Length}.", sentenceBertConfigPath);

        string? similarity = stRoot is { } s ? JsonConfigFile.String(s, "similarity_fn_name", stPath) : null;
        return new MultiVectorConfig
        {
            QueryLength = queryLength,
            DocumentLength = documentLength,
            QueryExpansion = expansion,
            DenseLayers = dense,
            Normalize = normalize,
            Mask = mask,
            Prompts = mergedPrompts,
            LegacyPrefixes = legacyPrefixes,
            LengthNormalizedScores = string.Equals(similarity, "meanmaxsim", StringComparison.OrdinalIgnoreCase),
        };
    }

    private static (int? Query, int? Document, QueryExpansion? Expansion, bool HasExpansionKey) ReadTransformerSettings(string path)
    {
        using var document = JsonConfigFile.TryRead(path);
        if (document is null) return (null, null, null, false);
        var root = JsonConfigFile.RootObject(document, path);
        bool hasExpansion = root.TryGetProperty("query_expansion", out var expansion);
        return (PositiveOrNull(root, "query_length", path), PositiveOrNull(root, "document_length", path),
            hasExpansion ? ParseExpansion(expansion, path) : null, hasExpansion);
    }

    private static QueryExpansion? ParseExpansion(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Null) return null;
        if (element.ValueKind != JsonValueKind.Object)
            throw new ModelConfigurationException("'query_expansion' should be an object {strategy, length, attend, token} or null.", path);
        foreach (var property in element.EnumerateObject())
            if (property.Name is not ("strategy" or "length" or "attend" or "token"))
                throw new ModelConfigurationException($"'query_expansion' has the unknown key '{property.Name}'; expected strategy, length, attend, token.", path);
        var strategy = JsonConfigFile.String(element, "strategy", path) switch
        {
            "fixed" => QueryExpansionStrategy.Fixed,
            "min" => QueryExpansionStrategy.Minimum,
            var other => throw new ModelConfigurationException($"query_expansion strategy \"{other}\" is unknown; expected \"fixed\" or \"min\".", path),
        };
        int length = PositiveOrNull(element, "length", path)
            ?? throw new ModelConfigurationException("'query_expansion' needs a positive 'length' (classic ColBERT uses 32).", path);
        return new QueryExpansion(strategy, length, JsonConfigFile.Boolean(element, "attend", path) ?? false, JsonConfigFile.String(element, "token", path));
    }

    private static int? PositiveOrNull(JsonElement obj, string name, string path) => JsonConfigFile.Integer(obj, name, path) switch
    {
        null => null,
        > 0 and var value => (int)Math.Min(value, int.MaxValue),
        _ => throw new ModelConfigurationException($"'{name}' must be positive.", path),
    };
}
