using System.Text.Json;
using Embeddings.Models;
using Embeddings.Tokenization;

namespace Embeddings.Static;

/// <summary>
/// A static embedding model: one trained vector per token id, a text's vector being the mean of its tokens' rows
/// (sentence-transformers <c>StaticEmbedding</c>, Model2Vec). No transformer and no runtime: Embeddings.Core embeds
/// these on its own, through <see cref="Embedder.CreateStatic(StaticEmbeddingModel, EmbedderOptions?)"/>.
/// </summary>
/// <remarks>Immutable after loading; safe to share between threads.</remarks>
public sealed class StaticEmbeddingModel
{
    /// <summary>Model2Vec's default cut, in tokens, when it encodes.</summary>
    public const int Model2VecMaxLength = 512;

    private StaticEmbeddingModel() { }

    /// <summary>The folder the model was loaded from.</summary>
    public required string Directory { get; init; }

    /// <summary>Which library's conventions apply.</summary>
    public required StaticModelFormat Format { get; init; }

    /// <summary>The tokenizer (tokenizer.json of the embedding module).</summary>
    public required Tokenizer Tokenizer { get; init; }

    /// <summary>The table, [<see cref="VocabularySize"/> × <see cref="Dimensions"/>] row-major float32.</summary>
    internal float[] Table { get; private init; } = [];

    /// <summary>Rows in the table (token ids it covers).</summary>
    public required int VocabularySize { get; init; }

    /// <summary>Width of every vector.</summary>
    public required int Dimensions { get; init; }

    /// <summary>True when vectors are L2-normalized unless a call says otherwise.</summary>
    public required bool Normalize { get; init; }

    /// <summary>The most tokens of a text that are averaged; null for no limit.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Which end of a longer text is cut.</summary>
    public SequenceSide TruncationSide { get; init; } = SequenceSide.Right;

    /// <summary>A token id left out of the average (Model2Vec's unknown token), or null.</summary>
    public int? SkippedTokenId { get; init; }

    /// <summary>config_sentence_transformers.json (prompts, default prompt, similarity); empty for Model2Vec folders.</summary>
    public required SentenceTransformersConfig SentenceTransformers { get; init; }

    /// <summary>
    /// True when <paramref name="directory"/> holds a static embedding model: modules.json lists a
    /// <c>StaticEmbedding</c> module, or the folder is a Model2Vec save (model.safetensors with an <c>embeddings</c>
    /// tensor, in a folder whose config.json, if any, does not describe a transformer).
    /// </summary>
    /// <param name="directory">The folder.</param>
    public static bool IsStaticFolder(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!System.IO.Directory.Exists(directory)) return false;
        string modules = Path.Combine(directory, "modules.json");
        if (File.Exists(modules)) return FindStaticModule(modules) is not null;
        return IsModel2VecFolder(directory);
    }

    /// <summary>
    /// True when a folder's configuration files (before any weights are fetched) say its table is the root
    /// model.safetensors: a StaticEmbedding module at the root, or a Model2Vec config.json.
    /// </summary>
    internal static bool NeedsRootWeights(string directory)
    {
        string modules = Path.Combine(directory, "modules.json");
        if (File.Exists(modules)) return FindStaticModule(modules) is { Path: "" };
        return IsModel2VecConfig(Path.Combine(directory, "config.json"));
    }

    /// <summary>Loads a static embedding folder.</summary>
    /// <param name="directory">The folder.</param>
    /// <exception cref="ModelConfigurationException">The folder is not a static model, or a file is missing or malformed (the message names it).</exception>
    /// <exception cref="TokenizerFormatException">tokenizer.json is malformed.</exception>
    public static StaticEmbeddingModel Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!System.IO.Directory.Exists(directory))
            throw new ModelConfigurationException($"The model folder \"{directory}\" does not exist.", directory);
        directory = Path.GetFullPath(directory);
        string modulesPath = Path.Combine(directory, "modules.json");
        if (File.Exists(modulesPath)) return LoadSentenceTransformers(directory, modulesPath);
        if (IsModel2VecFolder(directory)) return LoadModel2Vec(directory);
        throw new ModelConfigurationException(
            "The folder is not a static embedding model: modules.json lists no StaticEmbedding module and it is no Model2Vec folder.", directory);
    }

    private static StaticEmbeddingModel LoadSentenceTransformers(string directory, string modulesPath)
    {
        var modules = ReadModules(modulesPath);
        int staticIndex = modules.FindIndex(m => m.ClassName == "StaticEmbedding");
        if (staticIndex != 0)
            throw new ModelConfigurationException(
                staticIndex < 0 ? "modules.json lists no StaticEmbedding module." : "the StaticEmbedding module must come first.", modulesPath);
        bool normalize = false;
        foreach (var module in modules.Skip(1))
        {
            if (module.ClassName == "Normalize") normalize = true;
            else
                throw new ModelConfigurationException(
                    $"module type \"{module.Type}\" after a StaticEmbedding is not supported; static models run StaticEmbedding and Normalize.", modulesPath);
        }
        string moduleDir = ModelPaths.Inside(directory, modules[0].Path, modulesPath);
        var tokenizer = Tokenizer.FromFile(RequireFile(moduleDir, "tokenizer.json"));
        string weightsPath = RequireFile(moduleDir, "model.safetensors");
        var weights = SafeTensorsFile.Open(weightsPath);
        float[] table;
        int rows, dims;
        if (weights.Contains("embedding.weight")) (table, rows, dims) = ReadMatrix(weights, "embedding.weight", weightsPath);
        else (table, rows, dims) = ReadModel2VecTable(weights, weightsPath); // a Model2Vec save loaded as a StaticEmbedding
        var truncation = tokenizer.Truncation;
        return new StaticEmbeddingModel
        {
            Directory = directory,
            Format = StaticModelFormat.SentenceTransformers,
            Tokenizer = tokenizer,
            Table = table,
            VocabularySize = rows,
            Dimensions = dims,
            Normalize = normalize,
            // sentence-transformers turns the tokenizer's padding off but keeps its truncation.
            MaxTokens = truncation?.MaxLength,
            TruncationSide = truncation?.Direction ?? SequenceSide.Right,
            SentenceTransformers = SentenceTransformersConfig.Load(Path.Combine(directory, "config_sentence_transformers.json")),
        };
    }

    private static StaticEmbeddingModel LoadModel2Vec(string directory)
    {
        string configPath = Path.Combine(directory, "config.json");
        bool normalize = false;
        using (var document = JsonConfigFile.TryRead(configPath))
        {
            if (document is not null)
                normalize = JsonConfigFile.Boolean(JsonConfigFile.RootObject(document, configPath), "normalize", configPath) ?? false;
        }
        string tokenizerPath = RequireFile(directory, "tokenizer.json");
        var tokenizer = Tokenizer.FromFile(tokenizerPath);
        string weightsPath = RequireFile(directory, "model.safetensors");
        var (table, rows, dims) = ReadModel2VecTable(SafeTensorsFile.Open(weightsPath), weightsPath);
        return new StaticEmbeddingModel
        {
            Directory = directory,
            Format = StaticModelFormat.Model2Vec,
            Tokenizer = tokenizer,
            Table = table,
            VocabularySize = rows,
            Dimensions = dims,
            Normalize = normalize,
            MaxTokens = Model2VecMaxLength,
            SkippedTokenId = UnknownTokenId(tokenizerPath, tokenizer),
            SentenceTransformers = SentenceTransformersConfig.Load(Path.Combine(directory, "config_sentence_transformers.json")),
        };
    }

    // embedding[id] = embeddings[mapping[id]] * weights[id]: the vocabulary-quantized Model2Vec layout folded into one row per id.
    private static (float[] Table, int Rows, int Dims) ReadModel2VecTable(SafeTensorsFile weights, string path)
    {
        if (!weights.Contains("embeddings"))
            throw new ModelConfigurationException("has neither an 'embedding.weight' nor an 'embeddings' tensor.", path);
        var (embeddings, rows, dims) = ReadMatrix(weights, "embeddings", path);
        float[]? tokenWeights = null;
        int[]? mapping = null;
        int ids = rows;
        if (weights.Contains("mapping"))
        {
            if (weights.Shape("mapping").Length != 1) throw new ModelConfigurationException("tensor 'mapping' should be one-dimensional.", path);
            var raw = weights.ReadIntegers("mapping");
            mapping = new int[raw.Length];
            for (int i = 0; i < raw.Length; i++)
            {
                long row = raw[i];
                if (row < 0 || row >= rows) throw new ModelConfigurationException($"'mapping' sends token {i} to row {row}, outside the {rows} embeddings.", path);
                mapping[i] = (int)row;
            }
            ids = mapping.Length;
        }
        if (weights.Contains("weights"))
        {
            tokenWeights = weights.ReadFloats("weights", ids);
        }
        if (mapping is null && tokenWeights is null) return (embeddings, rows, dims);
        var table = new float[(long)ids * dims];
        for (int id = 0; id < ids; id++)
        {
            var source = embeddings.AsSpan((mapping?[id] ?? id) * dims, dims);
            var target = table.AsSpan(id * dims, dims);
            if (tokenWeights is null) source.CopyTo(target);
            else System.Numerics.Tensors.TensorPrimitives.Multiply(source, tokenWeights[id], target);
        }
        return (table, ids, dims);
    }

    private static (float[] Table, int Rows, int Dims) ReadMatrix(SafeTensorsFile weights, string name, string path)
    {
        var shape = weights.Shape(name);
        if (shape.Length != 2 || shape[0] < 1 || shape[1] < 1 || shape[0] * shape[1] > Array.MaxLength)
            throw new ModelConfigurationException($"tensor '{name}' has shape [{string.Join(", ", shape)}]; expected [vocabulary, dimensions].", path);
        return (weights.ReadFloats(name, shape), (int)shape[0], (int)shape[1]);
    }

    private static int? UnknownTokenId(string tokenizerPath, Tokenizer tokenizer)
    {
        using var stream = File.OpenRead(tokenizerPath);
        using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 64 });
        if (document.RootElement.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.Object
            && model.TryGetProperty("unk_token", out var unk) && unk.ValueKind == JsonValueKind.String)
            return tokenizer.TokenToId(unk.GetString()!);
        return null;
    }

    private static bool IsModel2VecConfig(string configPath)
    {
        try
        {
            using var document = JsonConfigFile.TryRead(configPath);
            return document is not null && document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("model_type", out var type) && type.ValueKind == JsonValueKind.String
                && type.GetString() == "model2vec";
        }
        catch (ModelConfigurationException)
        {
            return false;
        }
    }

    // A transformer folder's config.json names its architecture (bert, xlm-roberta…); Model2Vec's says model2vec or nothing.
    private static bool DescribesTransformer(string configPath)
    {
        try
        {
            using var document = JsonConfigFile.TryRead(configPath);
            return document is not null && document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("model_type", out var type) && type.ValueKind == JsonValueKind.String
                && type.GetString() != "model2vec";
        }
        catch (ModelConfigurationException)
        {
            return false;
        }
    }

    private static bool IsModel2VecFolder(string directory)
    {
        string weights = Path.Combine(directory, "model.safetensors");
        if (!File.Exists(weights) || !File.Exists(Path.Combine(directory, "tokenizer.json"))) return false;
        if (DescribesTransformer(Path.Combine(directory, "config.json"))) return false;
        try
        {
            return SafeTensorsFile.Open(weights).Contains("embeddings");
        }
        catch (ModelConfigurationException)
        {
            return false;
        }
    }

    private sealed record StaticModule(string Type, string ClassName, string Path);

    private static StaticModule? FindStaticModule(string modulesPath)
    {
        try
        {
            return ReadModules(modulesPath).FirstOrDefault(m => m.ClassName == "StaticEmbedding");
        }
        catch (ModelConfigurationException)
        {
            return null; // not ours to judge: the transformer loader reports a malformed modules.json
        }
    }

    // Type names differ between versions (sentence_transformers.models.StaticEmbedding in 5,
    // sentence_transformers.sentence_transformer.modules.static_embedding.StaticEmbedding in 6); the class name does not.
    private static List<StaticModule> ReadModules(string path)
    {
        using var document = JsonConfigFile.Read(path);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            throw new ModelConfigurationException("expected a JSON array of modules.", path);
        var modules = new List<StaticModule>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) throw new ModelConfigurationException("every module should be a JSON object.", path);
            string type = JsonConfigFile.String(item, "type", path) ?? throw new ModelConfigurationException("a module has no 'type'.", path);
            string modulePath = JsonConfigFile.String(item, "path", path) ?? "";
            modules.Add(new StaticModule(type, type[(type.LastIndexOf('.') + 1)..], modulePath == "." ? "" : modulePath));
        }
        return modules;
    }

    private static string RequireFile(string directory, string name)
    {
        string path = Path.Combine(directory, name);
        return File.Exists(path) ? path : throw new ModelConfigurationException($"The static embedding model has no {name}.", path);
    }
}
