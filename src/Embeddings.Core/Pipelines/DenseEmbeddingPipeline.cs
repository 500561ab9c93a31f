using Embeddings.InputEncoding;
using Embeddings.Batching;
using Embeddings.Inference;
using Embeddings.Pooling;
using Embeddings.PostProcessing;

namespace Embeddings.Pipelines;

/// <summary>
/// Embed: token sequences → model → pooling → Dense modules → Matryoshka truncation → L2 normalization,
/// written straight into the caller's rows of one result buffer.
/// </summary>
internal sealed class DenseEmbeddingPipeline
{
    private readonly EmbedderCore _core;

    public DenseEmbeddingPipeline(EmbedderCore core) => _core = core;

    /// <summary>Checks the options, tokenizes and returns the call ready to run.</summary>
    public PreparedCall<EmbeddingResult> Prepare(IReadOnlyList<string> texts, EmbedOptions options, CancellationToken cancellationToken)
    {
        var core = _core;
        if (core.Folder.MultiVector is not null)
            throw new NotSupportedException($"The model {core.Info.ModelId} is a multi-vector (ColBERT-style) model with no single-vector output; use EmbedMultiVector.");
        var output = core.DenseOutput ?? throw new NotSupportedException(
            $"The model {core.Info.ModelId} gives no token or sentence embeddings (its outputs: {core.OutputNames}); it cannot produce dense vectors.");
        bool prePooled = output.Kind == ModelOutputKind.SentenceEmbedding;
        if (prePooled && options.Pooling is not null)
            throw new NotSupportedException(
                $"The model {core.Info.ModelId} outputs already pooled sentence embeddings, so pooling mode {options.Pooling} cannot be applied.");
        int fullDimensions = core.Info.Dimensions;
        int dimensions = options.Dimensions ?? fullDimensions;
        if (dimensions > fullDimensions)
            throw new ArgumentOutOfRangeException(nameof(options), dimensions, $"Dimensions is {dimensions} but the model's vectors have {fullDimensions}.");
        string prompt = core.ResolvePrompt(options.PromptName, options.Prompt);
        var inputs = core.Encoder.EncodeIds(texts, prompt, options.Truncation, options.TruncationSide, nameof(texts), cancellationToken);
        return new Call(core, inputs, output.Name, prePooled, options.Pooling is { } mode ? new Pooler([mode]) : core.Pooler,
            fullDimensions, dimensions, options.Normalize ?? core.Info.Normalize)
        {
            Limits = BatchLimits.Resolve(options, core.Options),
        };
    }

    private sealed class Call : PreparedCall<EmbeddingResult>
    {
        private readonly EmbedderCore _core;
        private readonly EncodedInputs _inputs;
        private readonly bool _prePooled;
        private readonly Pooler _pooler;
        private readonly int _fullDimensions;
        private readonly int _dimensions;
        private readonly bool _normalize;
        private readonly float[] _result;
        private readonly float[] _scratch; // the pooled vector and each Dense layer's output, ping-ponging halves

        public Call(EmbedderCore core, EncodedInputs inputs, string outputName, bool prePooled, Pooler pooler, int fullDimensions, int dimensions, bool normalize)
        {
            _core = core;
            _inputs = inputs;
            OutputName = outputName;
            _prePooled = prePooled;
            _pooler = pooler;
            _fullDimensions = fullDimensions;
            _dimensions = dimensions;
            _normalize = normalize;
            _result = new float[(long)inputs.Count * dimensions];
            int widest = Math.Max(core.PooledWidth(pooler), core.DenseLayers.Count == 0 ? 0 : core.DenseLayers.Max(d => d.OutFeatures));
            _scratch = new float[Math.Max(widest, 1) * 2];
        }

        public override IReadOnlyList<int[]> Ids => _inputs.Ids;
        public override IReadOnlyList<int[]> TypeIds => _inputs.TypeIds;
        public override string OutputName { get; }

        public override void OnRow(int index, ReadOnlySpan<float> rows, ReadOnlySpan<long> mask, int width)
        {
            Span<float> vector;
            if (_prePooled)
            {
                vector = _scratch.AsSpan(0, width);
                rows.CopyTo(vector);
            }
            else
            {
                vector = _scratch.AsSpan(0, _pooler.OutputDimension(width));
                _pooler.Pool(rows, mask, width, vector, _inputs.PromptTokens);
                vector = ApplyDense(_core.DenseLayers, vector, _scratch);
            }
            if (vector.Length != _fullDimensions)
                throw new InvalidOperationException($"The model produced {vector.Length}-dimensional vectors; {_fullDimensions} were expected.");
            var destination = _result.AsSpan((int)((long)index * _dimensions), _dimensions);
            vector[.._dimensions].CopyTo(destination);
            if (_normalize) VectorNormalization.NormalizeInPlace(destination);
        }

        public override EmbeddingResult Finish() => new(_result, _dimensions, _inputs.TokenCounts(), _inputs.TruncatedIndexes());

        private static Span<float> ApplyDense(IReadOnlyList<DenseLayer> layers, Span<float> vector, float[] scratch)
        {
            int half = scratch.Length / 2;
            bool inFirstHalf = true;
            foreach (var layer in layers)
            {
                var target = scratch.AsSpan(inFirstHalf ? half : 0, layer.OutFeatures);
                layer.Apply(vector, target);
                vector = target;
                inFirstHalf = !inFirstHalf;
            }
            return vector;
        }
    }
}
