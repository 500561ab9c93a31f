using Embeddings.PostProcessing;

namespace Embeddings.Pipelines;

/// <summary>EmbedTokens: each text's hidden states, one row per token, in one buffer for the whole call.</summary>
internal sealed class TokenEmbeddingPipeline
{
    private readonly EmbedderCore _core;

    public TokenEmbeddingPipeline(EmbedderCore core) => _core = core;

    public IReadOnlyList<TokenEmbeddings> Run(IReadOnlyList<string> texts, TokenEmbeddingOptions options, CancellationToken cancellationToken)
    {
        var core = _core;
        var output = core.TokenOutput ?? throw new NotSupportedException(
            $"The model {core.Info.ModelId} gives no per-token hidden states (its outputs: {core.OutputNames}), so it cannot embed tokens.");
        int dimensions = core.HiddenSize;
        var inputs = core.Encoder.Encode(texts, "", options.Truncation, nameof(texts), cancellationToken);

        // Which tokens each text keeps, and where its rows start in the shared buffer.
        var kept = new int[inputs.Count][];
        var rowStart = new long[inputs.Count + 1];
        for (int i = 0; i < inputs.Count; i++)
        {
            var special = inputs.Encodings[i].SpecialTokensMask;
            kept[i] = Enumerable.Range(0, special.Length).Where(t => options.IncludeSpecialTokens || special[t] == 0).ToArray();
            rowStart[i + 1] = rowStart[i] + kept[i].Length;
        }
        var buffer = new float[rowStart[^1] * dimensions];

        core.Runner.Run(inputs.Ids, inputs.TypeIds, output.Name,
            options.MaxBatchTokens ?? core.Options.MaxBatchTokens, options.MaxBatchSize ?? core.Options.MaxBatchSize,
            options.Progress, cancellationToken,
            (index, rows, mask, width) =>
            {
                if (width != dimensions)
                    throw new InvalidOperationException($"The model produced {width}-dimensional token vectors; {dimensions} were expected.");
                // The k-th real position of the padded row is token k of the encoding (padding may come first).
                var positions = new List<int>(mask.Length);
                for (int p = 0; p < mask.Length; p++) if (mask[p] != 0) positions.Add(p);
                long row = rowStart[index];
                foreach (int token in kept[index])
                {
                    var destination = buffer.AsSpan((int)(row++ * dimensions), dimensions);
                    rows.Slice(positions[token] * dimensions, dimensions).CopyTo(destination);
                    if (options.Normalize) VectorNormalization.NormalizeInPlace(destination);
                }
            });

        var results = new TokenEmbeddings[inputs.Count];
        for (int i = 0; i < results.Length; i++)
        {
            var encoding = inputs.Encodings[i];
            var keep = kept[i];
            results[i] = new TokenEmbeddings(
                keep.Select(t => encoding.Ids[t]).ToArray(),
                keep.Select(t => encoding.Tokens[t]).ToArray(),
                keep.Select(t => encoding.Offsets[t]).ToArray(),
                keep.Select(t => encoding.SpecialTokensMask[t] != 0).ToArray(),
                new ReadOnlyMemory<float>(buffer, (int)(rowStart[i] * dimensions), keep.Length * dimensions),
                dimensions, encoding.WasTruncated);
        }
        return results;
    }
}
