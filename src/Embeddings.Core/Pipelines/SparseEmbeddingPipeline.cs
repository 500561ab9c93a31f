using Embeddings.InputEncoding;
using System.Numerics.Tensors;
using Embeddings.Batching;
using Embeddings.Inference;
using Embeddings.Tokenization;

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

    public PreparedCall<IReadOnlyList<SparseEmbedding>> Prepare(IReadOnlyList<string> texts, SparseEmbeddingOptions options, CancellationToken cancellationToken)
    {
        var core = _core;
        var output = core.SparseOutput ?? throw new NotSupportedException(
            $"The model {core.Info.ModelId} gives no vocabulary logits or sparse vectors (its outputs: {core.OutputNames}); " +
            "sparse embeddings need a SPLADE-style masked-language-model export with a 'logits' output.");
        var inputs = core.Encoder.EncodeIds(texts, "", options.Truncation, options.TruncationSide, nameof(texts), cancellationToken);
        return new Call(inputs, output.Name, output.Kind == ModelOutputKind.SparseEmbedding, core.Folder.SpladePooling?.UseMax ?? true,
            output.Width ?? core.Info.VocabularySize, options.TopK, options.MinWeight, core.Tokenizer)
        {
            Limits = BatchLimits.Resolve(options, core.Options),
        };
    }

    private sealed class Call : PreparedCall<IReadOnlyList<SparseEmbedding>>
    {
        private readonly EncodedInputs _inputs;
        private readonly bool _prePooled;
        private readonly bool _useMax;
        private readonly int? _topK;
        private readonly float _minWeight;
        private readonly Tokenizer _tokenizer;
        private readonly SparseEmbedding[] _results;
        private int _vocabulary;
        private float[] _weights = [];
        private float[] _scratch = [];

        public Call(EncodedInputs inputs, string outputName, bool prePooled, bool useMax, int vocabulary, int? topK, float minWeight, Tokenizer tokenizer)
        {
            _inputs = inputs;
            OutputName = outputName;
            _prePooled = prePooled;
            _useMax = useMax;
            _vocabulary = vocabulary;
            _topK = topK;
            _minWeight = minWeight;
            _tokenizer = tokenizer;
            _results = new SparseEmbedding[inputs.Count];
        }

        public override IReadOnlyList<int[]> Ids => _inputs.Ids;
        public override IReadOnlyList<int[]> TypeIds => _inputs.TypeIds;
        public override string OutputName { get; }

        public override void OnRow(int index, ReadOnlySpan<float> rows, ReadOnlySpan<long> mask, int width)
        {
            _vocabulary = width;
            if (_weights.Length != width)
            {
                _weights = new float[width];
                _scratch = _useMax || _prePooled ? [] : new float[width];
            }
            var weights = _weights.AsSpan();
            if (_prePooled) rows.CopyTo(weights);
            else if (_useMax) MaxThenActivate(rows, mask, width, weights);
            else SumOfActivations(rows, mask, width, weights, _scratch);
            _results[index] = Select(weights, _inputs.WasTruncated(index));
        }

        public override IReadOnlyList<SparseEmbedding> Finish()
        {
            for (int i = 0; i < _results.Length; i++)
                _results[i] ??= new SparseEmbedding([], [], _vocabulary, _tokenizer); // texts without tokens
            return _results;
        }

        private SparseEmbedding Select(ReadOnlySpan<float> weights, bool truncated)
        {
            // Count first, so the index array is allocated once at its final size (no list growth per text).
            int count = 0;
            for (int v = 0; v < weights.Length; v++)
                if (Kept(weights[v])) count++;
            var chosen = new int[count];
            for (int v = 0, n = 0; n < count; v++)
                if (Kept(weights[v])) chosen[n++] = v;
            if (_topK is { } k && chosen.Length > k)
            {
                var ranked = new (int Index, float Weight)[chosen.Length];
                for (int i = 0; i < chosen.Length; i++) ranked[i] = (chosen[i], weights[chosen[i]]);
                Array.Sort(ranked, (a, b) => b.Weight != a.Weight ? b.Weight.CompareTo(a.Weight) : a.Index.CompareTo(b.Index));
                chosen = ranked.Take(k).Select(r => r.Index).Order().ToArray();
            }
            var values = new float[chosen.Length];
            for (int i = 0; i < chosen.Length; i++) values[i] = weights[chosen[i]];
            return new SparseEmbedding(chosen, values, weights.Length, _tokenizer, truncated);
        }

        private bool Kept(float weight) => weight > _minWeight && weight > 0;
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
