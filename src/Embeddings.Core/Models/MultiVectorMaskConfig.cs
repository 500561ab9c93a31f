using System.Text.Json;

namespace Embeddings.Models;

/// <summary>
/// A <c>MultiVectorMask</c> module's settings: which token rows a multi-vector model keeps for scoring.
/// Real tokens are kept (for queries also the expansion positions); then, for the roles in
/// <see cref="SkiplistTasks"/>, tokens whose id is one of <see cref="SkiplistWords"/> are dropped; then, for
/// documents, only ids in <see cref="KeepOnlyTokenIds"/> are kept when it is set and not empty.
/// </summary>
/// <param name="SkiplistWords">Vocabulary tokens to drop (PyLate's default is the ASCII punctuation).</param>
/// <param name="SkiplistTasks">The roles the skiplist applies to (<c>"query"</c>, <c>"document"</c>).</param>
/// <param name="KeepOnlyTokenIds">An allow-list of token ids for documents, or null.</param>
public sealed record MultiVectorMaskConfig(IReadOnlyList<string> SkiplistWords, IReadOnlyList<string> SkiplistTasks, IReadOnlyList<int>? KeepOnlyTokenIds)
{
    /// <summary>The ASCII punctuation characters, Python's <c>string.punctuation</c>: the skiplist PyLate
    /// checkpoints without an explicit one were trained with.</summary>
    public static IReadOnlyList<string> AsciiPunctuation { get; } =
        "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".Select(c => c.ToString()).ToArray();

    /// <summary>Reads a <c>MultiVectorMask</c> module's config.json; a missing file gives the module's defaults
    /// (no skiplist, applied to documents, no allow-list).</summary>
    /// <param name="path">The module's config.json.</param>
    public static MultiVectorMaskConfig Load(string path)
    {
        using var document = JsonConfigFile.TryRead(path);
        if (document is null) return new MultiVectorMaskConfig([], ["document"], null);
        var root = JsonConfigFile.RootObject(document, path);
        var words = Strings(root, "skiplist_words", path) ?? [];
        IReadOnlyList<string> tasks = root.TryGetProperty("skiplist_tasks", out var tasksElement) && tasksElement.ValueKind == JsonValueKind.String
            ? [tasksElement.GetString()!]
            : Strings(root, "skiplist_tasks", path) ?? ["document"];
        List<int>? keep = null;
        if (root.TryGetProperty("keep_only_token_ids", out var keepElement) && keepElement.ValueKind != JsonValueKind.Null)
        {
            if (keepElement.ValueKind != JsonValueKind.Array)
                throw new ModelConfigurationException("'keep_only_token_ids' should be a list of token ids.", path);
            keep = [];
            foreach (var item in keepElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out int id) || id < 0)
                    throw new ModelConfigurationException("'keep_only_token_ids' should hold non-negative integer token ids.", path);
                keep.Add(id);
            }
        }
        return new MultiVectorMaskConfig(words, tasks, keep);
    }

    /// <summary>An optional list of strings.</summary>
    internal static List<string>? Strings(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Array)
            throw new ModelConfigurationException($"'{name}' should be a list of strings.", path);
        var result = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                throw new ModelConfigurationException($"'{name}' should hold only strings.", path);
            result.Add(item.GetString()!);
        }
        return result;
    }
}
