using System.Buffers;
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

    public EmbeddingResult Run(IReadOnlyList<string> texts, EmbedOptions options, CancellationToken cancellationToken)
    {
        var core = _core;
        var output = core.DenseOutput ?? throw new NotSupportedException(
            $"The model {core.Info.ModelId} gives no token or sentence embeddings (its outputs: {core.OutputNames}); it cannot produce dense vectors.");
        bool prePooled = output.Kind == ModelOutputKind.SentenceEmbedding;
        if (prePooled && options.Pooling is not null)
            throw new NotSupportedException(
                $"The model {core.Info.ModelId} outputs already pooled sentence embeddings, so pooling mode {options.Pooling} cannot be applied.");

        int fullDimensions = core.Info.Dimensions;
        int dimensions = options.Dimensions ?? fullDimensions;
        if (dimensions > fullDimensions)
            throw new ArgumentOutOfRangeException(nameof(options), dimensions,
                $"Dimensions is {dimensions} but the model's vectors have {fullDimensions}.");
        bool normalize = options.Normalize ?? core.Info.Normalize;
        var pooler = options.Pooling is { } mode ? new Pooler([mode]) : core.Pooler;
        string prompt = core.ResolvePrompt(options.PromptName, options.Prompt);

        var inputs = core.Encoder.Encode(texts, prompt, options.Truncation, nameof(texts), cancellationToken);
        var result = new float[(long)texts.Count * dimensions];
        // Scratch for one row: the pooled vector and each Dense layer's output.
        int scratchSize = Math.Max(core.PooledWidth(pooler), core.DenseLayers.Count == 0 ? 0 : core.DenseLayers.Max(d => d.OutFeatures)) * 2;
        float[] scratch = ArrayPool<float>.Shared.Rent(Math.Max(scratchSize, 1));
        try
        {
            core.Runner.Run(inputs.Ids, inputs.TypeIds, output.Name,
                options.MaxBatchTokens ?? core.Options.MaxBatchTokens, options.MaxBatchSize ?? core.Options.MaxBatchSize,
                options.Progress, cancellationToken,
                (index, row, mask, width) =>
                {
                    Span<float> vector;
                    if (prePooled) vector = scratch.AsSpan(0, width);
                    else
                    {
                        vector = scratch.AsSpan(0, pooler.OutputDimension(width));
                        pooler.Pool(row, mask, width, vector, inputs.PromptTokens);
                    }
                    if (prePooled) row.CopyTo(vector);
                    else vector = ApplyDense(core.DenseLayers, vector, scratch);
                    if (vector.Length != fullDimensions)
                        throw new InvalidOperationException($"The model produced {vector.Length}-dimensional vectors; {fullDimensions} were expected.");
                    var destination = result.AsSpan((int)((long)index * dimensions), dimensions);
                    vector[..dimensions].CopyTo(destination);
                    if (normalize) VectorNormalization.NormalizeInPlace(destination);
                });
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
        return new EmbeddingResult(result, dimensions, inputs.TokenCounts(), inputs.TruncatedIndexes());
    }

    // Ping-pongs between the two halves of the scratch buffer so no layer reads what it writes.
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
