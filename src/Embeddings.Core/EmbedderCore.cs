using Embeddings.InputEncoding;
using Embeddings.Batching;
using Embeddings.Inference;
using Embeddings.Models;
using Embeddings.Pooling;
using Embeddings.PostProcessing;
using Embeddings.Tokenization;

namespace Embeddings;

/// <summary>
/// The immutable state every embedding pipeline shares: tokenizer, backend, model configuration and the
/// outputs chosen from the model. Built once by <see cref="Embedder.Create"/>.
/// </summary>
internal sealed class EmbedderCore
{
    public EmbedderCore(ModelFolder folder, Tokenizer tokenizer, IInferenceBackend backend, EmbedderOptions options)
    {
        Folder = folder;
        Tokenizer = tokenizer;
        Backend = backend;
        Options = options;
        var signature = backend.Signature;
        string modelPath = signature.ModelPath ?? folder.Directory; // errors name the model file when the backend knows it
        if (!signature.Has(ModelInputs.InputIds))
            throw new ModelConfigurationException("The model has no input_ids input; it is not a text transformer this library can run.", modelPath);

        TokenOutput = signature.Find(ModelOutputKind.TokenEmbeddings);
        // A model that pools inside its graph is taken at its word (sentence_embedding wins over hidden states).
        DenseOutput = folder.SpladePooling is null ? signature.Find(ModelOutputKind.SentenceEmbedding) ?? TokenOutput : null;
        SparseOutput = signature.Find(ModelOutputKind.SparseEmbedding) ?? signature.Find(ModelOutputKind.Logits);
        DenseLayers = folder.DenseLayers;
        Pooler = new Pooler(folder.Pooling?.Modes ?? [PoolingMode.Mean], folder.Pooling?.IncludePrompt ?? true);

        HiddenSize = TokenOutput?.Width ?? folder.Transformer.HiddenSize ?? folder.Pooling?.EmbeddingDimension ?? 0;
        int dimensions = 0;
        if (DenseOutput is { Kind: ModelOutputKind.SentenceEmbedding } pooled)
            dimensions = pooled.Width ?? (DenseLayers.Count > 0 ? DenseLayers[^1].OutFeatures : HiddenSize);
        else if (DenseOutput is not null)
        {
            if (HiddenSize <= 0)
                throw new ModelConfigurationException("The model's hidden size is unknown: neither the model's output nor config.json declares it.", modelPath);
            dimensions = DenseLayers.Count > 0 ? DenseLayers[^1].OutFeatures : Pooler.OutputDimension(HiddenSize);
            int width = Pooler.OutputDimension(HiddenSize);
            foreach (var layer in DenseLayers)
            {
                if (layer.InFeatures != width)
                    throw new ModelConfigurationException($"A Dense module takes {layer.InFeatures} values but receives {width}.", folder.Directory);
                width = layer.OutFeatures;
            }
        }

        Runner = BatchRunner.ForModel(backend, folder, tokenizer, options.BatchIndependentResults);
        Encoder = new InputEncoder(tokenizer, folder.MaxSequenceLength, folder.TokenizerSettings.TruncationSide ?? SequenceSide.Right, folder.LowercaseInput);

        Info = new EmbedderInfo
        {
            ModelId = options.ModelId ?? Path.GetFileName(folder.Directory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)),
            Dimensions = dimensions,
            HiddenSize = HiddenSize,
            MaxSequenceLength = folder.MaxSequenceLength,
            VocabularySize = tokenizer.VocabularySize,
            Pooling = DenseOutput is null ? [] : Pooler.Modes,
            Normalize = folder.Normalize,
            Prompts = folder.SentenceTransformers.Prompts,
            DefaultPromptName = folder.SentenceTransformers.DefaultPromptName,
            Similarity = folder.SentenceTransformers.Similarity,
            PaddingSide = folder.PaddingSide,
            SupportsSparse = SparseOutput is not null,
            SupportsTokenEmbeddings = TokenOutput is not null,
            BatchDependent = signature.BatchDependent,
        };
    }

    public ModelFolder Folder { get; }
    public Tokenizer Tokenizer { get; }
    public IInferenceBackend Backend { get; }
    public EmbedderOptions Options { get; }
    public EmbedderInfo Info { get; }
    public InputEncoder Encoder { get; }
    public BatchRunner Runner { get; }
    public Pooler Pooler { get; }
    public IReadOnlyList<DenseLayer> DenseLayers { get; }
    public int HiddenSize { get; }

    /// <summary>The output dense vectors come from: sentence_embedding, else the hidden states; null for sparse-only models.</summary>
    public ModelOutputInfo? DenseOutput { get; }

    /// <summary>The per-token hidden states, when the model gives them.</summary>
    public ModelOutputInfo? TokenOutput { get; }

    /// <summary>The vocabulary logits or pooled sparse vector, when the model gives them.</summary>
    public ModelOutputInfo? SparseOutput { get; }

    /// <summary>The model's outputs, for error messages.</summary>
    public string OutputNames => string.Join(", ", Backend.Signature.Outputs.Select(o => o.Name));

    /// <summary>The width <paramref name="pooler"/> produces from this model's hidden states.</summary>
    public int PooledWidth(Pooler pooler) => DenseOutput?.Kind == ModelOutputKind.SentenceEmbedding
        ? Math.Max(Info.Dimensions, DenseOutput.Width ?? 0)
        : pooler.OutputDimension(HiddenSize);

    /// <summary>The prompt text for a call: an explicit text wins, then a named prompt, then the model's default.</summary>
    /// <exception cref="ArgumentException">The named prompt does not exist.</exception>
    public string ResolvePrompt(string? promptName, string? promptText)
    {
        if (promptText is not null) return promptText;
        string? name = promptName ?? Info.DefaultPromptName;
        if (name is null) return "";
        if (Info.Prompts.TryGetValue(name, out var prompt)) return prompt;
        string known = Info.Prompts.Count == 0 ? "the model defines no prompts" : "known prompts: " + string.Join(", ", Info.Prompts.Keys);
        throw new ArgumentException($"Unknown prompt name \"{name}\"; {known}.", nameof(promptName));
    }
}
