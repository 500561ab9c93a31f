using System.Text.Json;

namespace Embeddings.Models;

/// <summary>
/// A model folder as sentence-transformers and Hugging Face exports lay it out, read once: its configuration
/// (tokenizer files, module chain) and every default (pooling, Dense layers, normalization, prompts, length limit, padding
/// side) exactly as sentence-transformers would apply them.
/// </summary>
/// <remarks>Immutable; safe to share between threads.</remarks>
public sealed class ModelFolder
{
    private ModelFolder() { }

    /// <summary>The folder.</summary>
    public required string Directory { get; init; }

    /// <summary>The folder of the Transformer module, where its weights and config.json live (the folder itself
    /// unless modules.json gives the Transformer a subfolder). Which weights file a runtime loads is its own choice.</summary>
    public required string TransformerDirectory { get; init; }

    /// <summary>tokenizer.json, when the folder has one.</summary>
    public string? TokenizerJsonPath { get; init; }

    /// <summary>vocab.txt, for old BERT folders without tokenizer.json.</summary>
    public string? VocabularyPath { get; init; }

    /// <summary>config.json.</summary>
    public required TransformerConfig Transformer { get; init; }

    /// <summary>tokenizer_config.json and special_tokens_map.json.</summary>
    public required TokenizerSettings TokenizerSettings { get; init; }

    /// <summary>config_sentence_transformers.json.</summary>
    public required SentenceTransformersConfig SentenceTransformers { get; init; }

    /// <summary>The module chain from modules.json (or the implied one when the file is absent).</summary>
    public required IReadOnlyList<ModuleEntry> Modules { get; init; }

    /// <summary>The pooling to apply; null for SparseEncoder folders.</summary>
    public PoolingConfig? Pooling { get; init; }

    /// <summary>SPLADE pooling, for SparseEncoder folders.</summary>
    public SpladePoolingConfig? SpladePooling { get; init; }

    /// <summary>Dense modules after pooling, in order.</summary>
    public required IReadOnlyList<PostProcessing.DenseLayer> DenseLayers { get; init; }

    /// <summary>The multi-vector (ColBERT-style) settings when the folder is a MultiVectorEncoder or PyLate model;
    /// its Dense and Normalize modules then work per token and live there (<see cref="DenseLayers"/> is empty).</summary>
    public MultiVectorConfig? MultiVector { get; init; }

    /// <summary>True when the chain ends with a Normalize module.</summary>
    public bool Normalize { get; init; }

    /// <summary>The longest input in tokens, special tokens included: sentence_bert_config.json
    /// <c>max_seq_length</c>, else tokenizer_config.json <c>model_max_length</c>, capped by what the
    /// position table of config.json allows.</summary>
    public int MaxSequenceLength { get; init; }

    /// <summary>Where padding goes: tokenizer_config.json <c>padding_side</c>, else left for decoders and right otherwise.</summary>
    public SequenceSide PaddingSide { get; init; }

    /// <summary>sentence_bert_config.json <c>do_lower_case</c>: texts are lower-cased before tokenization.</summary>
    public bool LowercaseInput { get; init; }

    /// <summary>The longest input used when no file names one.</summary>
    public const int DefaultMaxSequenceLength = 512;

    /// <summary>
    /// The largest sequence length a configuration file may declare (<c>max_seq_length</c>,
    /// <c>max_position_embeddings</c>): 1,048,576 tokens, eight times the longest context of current embedding models.
    /// A larger value is refused when the folder is opened rather than overflowing buffer sizes at the first call.
    /// </summary>
    public const int MaxSupportedSequenceLength = 1 << 20;

    /// <summary>Reads a model folder.</summary>
    /// <param name="directory">The folder.</param>
    /// <param name="options">How to read it; null for the defaults.</param>
    /// <exception cref="ModelConfigurationException">Something required is missing or malformed; the message names the file.</exception>
    public static ModelFolder Open(string directory, ModelFolderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new ModelFolderOptions();
        if (!System.IO.Directory.Exists(directory))
            throw new ModelConfigurationException($"The model folder \"{directory}\" does not exist.", directory);
        directory = Path.GetFullPath(directory);

        string modulesPath = Path.Combine(directory, "modules.json");
        var st = SentenceTransformersConfig.Load(Path.Combine(directory, "config_sentence_transformers.json"));
        var modules = File.Exists(modulesPath) ? ReadModules(modulesPath) : ImpliedModules(directory);
        string transformerDir = ModelPaths.Inside(directory, modules.FirstOrDefault(m => m.Kind == ModuleKind.Transformer)?.Path ?? "", modulesPath);

        string FindFile(string name) => new[] { Path.Combine(transformerDir, name), Path.Combine(directory, name) }.FirstOrDefault(File.Exists)
            ?? Path.Combine(directory, name);

        var transformer = TransformerConfig.Load(FindFile("config.json"));
        var tokenizerSettings = TokenizerSettings.Load(FindFile("tokenizer_config.json"), FindFile("special_tokens_map.json"));
        var (maxSeqLength, lowercase) = ReadSentenceBertConfig(FindFile("sentence_bert_config.json"));

        string tokenizerJson = FindFile("tokenizer.json");
        string vocabTxt = FindFile("vocab.txt");
        if (!options.TokenizerSupplied && !File.Exists(tokenizerJson) && !File.Exists(vocabTxt))
            throw new ModelConfigurationException(
                "The model folder has no tokenizer: expected tokenizer.json (or vocab.txt for an old BERT folder), or one supplied by the caller.", directory);

        PoolingConfig? pooling = null;
        SpladePoolingConfig? splade = null;
        var dense = new List<PostProcessing.DenseLayer>();
        bool normalize = false;
        foreach (var module in modules)
        {
            string moduleDir = ModelPaths.Inside(directory, module.Path, modulesPath);
            switch (module.Kind)
            {
                case ModuleKind.Pooling:
                    pooling = PoolingConfig.Load(Path.Combine(moduleDir, "config.json"));
                    break;
                case ModuleKind.SpladePooling:
                    splade = SpladePoolingConfig.Load(Path.Combine(moduleDir, "config.json"));
                    break;
                case ModuleKind.Dense:
                    dense.Add(PostProcessing.DenseLayer.Load(moduleDir));
                    break;
                case ModuleKind.Normalize:
                    normalize = true;
                    break;
            }
        }
        var multiVector = MultiVectorConfig.TryLoad(directory, modules, FindFile("sentence_bert_config.json"), st.Prompts);
        if (multiVector is not null)
        {
            dense.Clear();
            normalize = false;
        }
        bool sparse = st.IsSparseEncoder || splade is not null;
        if (pooling is null && !sparse)
            pooling = PoolingConfig.Of(transformer.IsDecoder ? Embeddings.Pooling.PoolingMode.LastToken : Embeddings.Pooling.PoolingMode.Mean);

        int limit = maxSeqLength ?? tokenizerSettings.ModelMaxLength ?? transformer.MaxSequenceLength ?? DefaultMaxSequenceLength;
        if (transformer.MaxSequenceLength is { } positions && positions > 0) limit = Math.Min(limit, positions);

        return new ModelFolder
        {
            Directory = directory,
            TransformerDirectory = transformerDir,
            TokenizerJsonPath = File.Exists(tokenizerJson) ? tokenizerJson : null,
            VocabularyPath = File.Exists(vocabTxt) ? vocabTxt : null,
            Transformer = transformer,
            TokenizerSettings = tokenizerSettings,
            SentenceTransformers = st,
            Modules = modules,
            Pooling = sparse ? null : pooling,
            SpladePooling = sparse ? splade ?? new SpladePoolingConfig() : null,
            DenseLayers = dense,
            MultiVector = multiVector,
            Normalize = normalize,
            MaxSequenceLength = Math.Max(1, limit),
            PaddingSide = tokenizerSettings.PaddingSide ?? (transformer.IsDecoder ? SequenceSide.Left : SequenceSide.Right),
            LowercaseInput = lowercase,
        };
    }

    private static List<ModuleEntry> ReadModules(string path)
    {
        using var document = JsonConfigFile.Read(path);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            throw new ModelConfigurationException("expected a JSON array of modules.", path);
        var modules = new List<ModuleEntry>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
                throw new ModelConfigurationException("every module should be a JSON object.", path);
            string type = JsonConfigFile.String(item, "type", path)
                ?? throw new ModelConfigurationException("a module has no 'type'.", path);
            string modulePath = JsonConfigFile.String(item, "path", path) ?? "";
            string className = type[(type.LastIndexOf('.') + 1)..];
            ModuleKind kind = className switch
            {
                "Transformer" or "MLMTransformer" => ModuleKind.Transformer,
                "Pooling" => ModuleKind.Pooling,
                "Dense" => ModuleKind.Dense,
                "Normalize" => ModuleKind.Normalize,
                "SpladePooling" => ModuleKind.SpladePooling,
                "MultiVectorMask" => ModuleKind.MultiVectorMask,
                _ => throw new ModelConfigurationException(
                    $"module type \"{type}\" is not supported; this library runs Transformer/MLMTransformer, Pooling, Dense, Normalize, SpladePooling and MultiVectorMask modules.", path),
            };
            ModelPaths.Inside(Path.GetDirectoryName(path)!, modulePath, path);
            modules.Add(new ModuleEntry(kind, modulePath, type));
        }
        if (modules.Count(m => m.Kind == ModuleKind.Transformer) != 1)
            throw new ModelConfigurationException("modules.json must list exactly one Transformer module.", path);
        if (modules[0].Kind != ModuleKind.Transformer)
            throw new ModelConfigurationException("the first module must be the Transformer.", path);
        return modules;
    }

    // A plain transformers folder (no modules.json): sentence-transformers wraps it as Transformer + Pooling,
    // using a 1_Pooling folder if one is there.
    private static List<ModuleEntry> ImpliedModules(string directory)
    {
        var modules = new List<ModuleEntry> { new(ModuleKind.Transformer, "", "Transformer") };
        if (File.Exists(Path.Combine(directory, "1_Pooling", "config.json"))) modules.Add(new(ModuleKind.Pooling, "1_Pooling", "Pooling"));
        return modules;
    }

    private static (int? MaxSeqLength, bool Lowercase) ReadSentenceBertConfig(string path)
    {
        using var document = JsonConfigFile.TryRead(path);
        if (document is null) return (null, false);
        var root = JsonConfigFile.RootObject(document, path);
        long? max = JsonConfigFile.Integer(root, "max_seq_length", path);
        if (max is <= 0) throw new ModelConfigurationException("'max_seq_length' must be positive.", path);
        if (max > MaxSupportedSequenceLength)
            throw new ModelConfigurationException(
                $"'max_seq_length' is {max}; the largest supported sequence length is {MaxSupportedSequenceLength} tokens.", path);
        return (max is null ? null : (int)max.Value, JsonConfigFile.Boolean(root, "do_lower_case", path) ?? false);
    }
}
