using System.Buffers;
using System.Numerics.Tensors;
using Embeddings.Inference;

namespace Embeddings.Pipelines;

/// <summary>
/// EmbedSparse (SPLADE): w_v = max over real tokens of log(1 + relu(logit_t,v)). Because log(1 + relu(x)) only
/// grows with x, the max is taken over the raw logits, streaming token by token into one vocabulary-wide
/// buffer, and transformed once; no [T × V] copy is made. Models whose graph already pools give their vector as is.
/// </summary>
internal sealed class SparseEmbeddingPipeline
{
    private readonly EmbedderCore _core;

    public SparseEmbeddingPipeline(EmbedderCore core) => _core = core;

    public IReadOnlyList<SparseEmbedding> Run(IReadOnlyList<string> texts, SparseEmbeddingOptions options, CancellationToken cancellationToken)
    {
        var core = _core;
        var output = core.SparseOutput ?? throw new NotSupportedException(
            $"The model {core.Info.ModelId} gives no vocabulary logits or sparse vectors (its outputs: {core.OutputNames}); " +
            "sparse embeddings need a SPLADE-style masked-language-model export with a 'logits' output.");
        bool prePooled = output.Kind == ModelOutputKind.SparseEmbedding;
        bool useMax = core.Folder.SpladePooling?.UseMax ?? true;
        var inputs = core.Encoder.Encode(texts, "", options.Truncation, nameof(texts), cancellationToken);
        var results = new SparseEmbedding[inputs.Count];
        int vocabulary = output.Width ?? core.Info.VocabularySize;
        float[]? accumulator = null, scratch = null;
        try
        {
            core.Runner.Run(inputs.Ids, inputs.TypeIds, output.Name,
                options.MaxBatchTokens ?? core.Options.MaxBatchTokens, options.MaxBatchSize ?? core.Options.MaxBatchSize,
                options.Progress, cancellationToken,
                (index, rows, mask, width) =>
                {
                    vocabulary = width;
                    if (accumulator is null || accumulator.Length < width)
                    {
                        if (accumulator is not null) ArrayPool<float>.Shared.Return(accumulator);
                        if (scratch is not null) ArrayPool<float>.Shared.Return(scratch);
                        accumulator = ArrayPool<float>.Shared.Rent(width);
                        scratch = ArrayPool<float>.Shared.Rent(width);
                    }
                    var weights = accumulator.AsSpan(0, width);
                    if (prePooled) rows.CopyTo(weights);
                    else if (useMax) MaxThenActivate(rows, mask, width, weights);
                    else SumOfActivations(rows, mask, width, weights, scratch!.AsSpan(0, width));
                    results[index] = Select(weights, options);
                });
        }
        finally
        {
            if (accumulator is not null) ArrayPool<float>.Shared.Return(accumulator);
            if (scratch is not null) ArrayPool<float>.Shared.Return(scratch);
        }
        for (int i = 0; i < results.Length; i++)
            results[i] ??= new SparseEmbedding([], [], vocabulary, core.Tokenizer); // texts without tokens
        return results;

        SparseEmbedding Select(ReadOnlySpan<float> weights, SparseEmbeddingOptions o)
        {
            var indices = new List<int>();
            for (int v = 0; v < weights.Length; v++)
                if (weights[v] > o.MinWeight && weights[v] > 0) indices.Add(v);
            var chosen = indices.ToArray();
            if (o.TopK is { } k && chosen.Length > k)
            {
                var ranked = new (int Index, float Weight)[chosen.Length];
                for (int i = 0; i < chosen.Length; i++) ranked[i] = (chosen[i], weights[chosen[i]]);
                Array.Sort(ranked, (a, b) => b.Weight != a.Weight ? b.Weight.CompareTo(a.Weight) : a.Index.CompareTo(b.Index));
                chosen = ranked.Take(k).Select(r => r.Index).Order().ToArray();
            }
            var values = new float[chosen.Length];
            for (int i = 0; i < chosen.Length; i++) values[i] = weights[chosen[i]];
            return new SparseEmbedding(chosen, values, weights.Length, core.Tokenizer);
        }
    }

    private static void MaxThenActivate(ReadOnlySpan<float> rows, ReadOnlySpan<long> mask, int width, Span<float> weights)
    {
        bool any = false;
        for (int t = 0; t < mask.Length; t++)
        {
            if (mask[t] == 0) continue;
            var logits = rows.Slice(t * width, width);
            if (any) TensorPrimitives.Max(weights, logits, weights);
            else logits.CopyTo(weights);
            any = true;
        }
        if (!any) { weights.Clear(); return; }
        Activate(weights);
    }

    private static void SumOfActivations(ReadOnlySpan<float> rows, ReadOnlySpan<long> mask, int width, Span<float> weights, Span<float> scratch)
    {
        weights.Clear();
        for (int t = 0; t < mask.Length; t++)
        {
            if (mask[t] == 0) continue;
            rows.Slice(t * width, width).CopyTo(scratch);
            Activate(scratch);
            TensorPrimitives.Add(weights, scratch, weights);
        }
    }

    // log(1 + relu(x)), in place.
    private static void Activate(Span<float> values)
    {
        TensorPrimitives.Max(values, 0f, values);
        TensorPrimitives.LogP1(values, values);
    }
}
