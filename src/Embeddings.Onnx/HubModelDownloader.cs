using System.Text.Json;
using Embeddings.Hub;
using Embeddings.Models;

namespace Embeddings.Onnx;

/// <summary>
/// Fetches what a model folder needs from the Hugging Face Hub, and nothing else: the configuration and
/// tokenizer files, the modules named in modules.json, and the model file the runtime chose with its external data
/// (never other weights or variants).
/// </summary>
public static class HubModelDownloader
{
    /// <summary>The files a sentence-transformers folder may have at its root (absent ones are skipped).</summary>
    private static readonly string[] RootFiles =
    [
        "config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt",
        "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json",
    ];

    /// <summary>The files of a module folder the library reads.</summary>
    private static readonly string[] ModuleFiles = ["config.json", "model.safetensors", "sentence_bert_config.json", "tokenizer.json"];

    /// <summary>True when <paramref name="model"/> is not an existing folder but reads as a Hub id (<c>name</c> or <c>org/name</c>).</summary>
    /// <param name="model">A folder path or a model id.</param>
    public static bool IsHubId(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (Directory.Exists(model)) return false;
        try
        {
            HubNames.ValidateRepoId(model);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Downloads (or finds in the cache) the files of <paramref name="repoId"/> that loading it needs.</summary>
    /// <param name="client">The hub client (endpoint, token, cache, offline mode).</param>
    /// <param name="repoId">The model id.</param>
    /// <param name="modelFileCandidates">The '/'-separated paths of the model file the runtime will load, most likely
    /// first (absent ones are skipped); each is fetched with its external data (<c>_data</c>, <c>.data</c>). The runtime
    /// package computes them from its file options.</param>
    /// <param name="revision">Branch, tag or commit.</param>
    /// <param name="progress">Per-file download progress.</param>
    /// <param name="cancellationToken">Stops the downloads (partial files resume next time).</param>
    /// <returns>The local snapshot folder, ready for <see cref="ModelFolder.Open"/>.</returns>
    public static async Task<string> DownloadAsync(HubClient client, string repoId, IReadOnlyList<string> modelFileCandidates,
        string revision = "main", IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(modelFileCandidates);
        string snapshot = await client.DownloadModelAsync(repoId, RootFiles, revision, progress, cancellationToken).ConfigureAwait(false);

        var patterns = new List<string>();
        string modulesPath = Path.Combine(snapshot, "modules.json");
        if (File.Exists(modulesPath))
            foreach (string modulePath in ModulePaths(modulesPath))
                patterns.AddRange(ModuleFiles.Select(file => $"{modulePath}/{file}"));
        else patterns.Add("1_Pooling/config.json");
        // Static embedding models keep their table at the root (a StaticEmbedding module at "", or a Model2Vec save).
        if (Static.StaticEmbeddingModel.NeedsRootWeights(snapshot)) patterns.Add("model.safetensors");

        foreach (string name in modelFileCandidates)
        {
            patterns.Add(name);
            patterns.Add(name + "_data");
            patterns.Add(name + ".data");
        }
        // The second call pins the commit the first one resolved, so all files come from one snapshot.
        string commit = Path.GetFileName(snapshot);
        return await client.DownloadModelAsync(repoId, patterns, commit, progress, cancellationToken).ConfigureAwait(false);
    }

    private static IEnumerable<string> ModulePaths(string modulesPath)
    {
        using var document = JsonConfigFile.Read(modulesPath);
        if (document.RootElement.ValueKind != JsonValueKind.Array) yield break;
        foreach (var module in document.RootElement.EnumerateArray())
        {
            if (module.ValueKind != JsonValueKind.Object) continue;
            string? path = JsonConfigFile.String(module, "path", modulesPath)?.TrimEnd('/');
            if (string.IsNullOrEmpty(path)) continue;
            if (HubNames.TryGetFileNameProblem(path, out var problem))
                throw new ModelConfigurationException($"module path \"{path}\" is not a safe file name ({problem}).", modulesPath);
            yield return path;
        }
    }
}
