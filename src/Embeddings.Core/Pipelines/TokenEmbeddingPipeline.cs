using Embeddings.InputEncoding;
using Embeddings.Batching;
using Embeddings.PostProcessing;

namespace Embeddings.Pipelines;

/// <summary>EmbedTokens: each text's hidden states, one row per token, in one buffer for the whole call.</summary>
internal sealed class TokenEmbeddingPipeline
{
    private readonly EmbedderCore _core;

    public TokenEmbeddingPipeline(EmbedderCore core) => _core = core;

    public PreparedCall<IReadOnlyList<TokenEmbeddings>> Prepare(IReadOnlyList<string> texts, TokenEmbeddingOptions options, CancellationToken cancellationToken)
    {
        var core = _core;
        var output = core.TokenOutput ?? throw new NotSupportedException(
            $"The model {core.Info.ModelId} gives no per-token hidden states (its outputs: {core.OutputNames}), so it cannot embed tokens.");
        var inputs = core.Encoder.Encode(texts, "", options.Truncation, options.TruncationSide, nameof(texts), cancellationToken);
        return new Call(inputs, output.Name, core.HiddenSize, options.IncludeSpecialTokens, options.Normalize)
        {
            Limits = BatchLimits.Resolve(options, core.Options),
        };
    }

    private sealed class Call : PreparedCall<IReadOnlyList<TokenEmbeddings>>
    {
        private readonly EncodedInputs _inputs;
        private readonly int _dimensions;
        private readonly bool _normalize;
        private readonly int[][] _kept;      // which tokens each text keeps
        private readonly long[] _rowStart;   // where each text's rows start in the shared buffer
        private readonly float[] _buffer;

        public Call(EncodedInputs inputs, string outputName, int dimensions, bool includeSpecial, bool normalize)
        {
            _inputs = inputs;
            OutputName = outputName;
            _dimensions = dimensions;
            _normalize = normalize;
            _kept = new int[inputs.Count][];
            _rowStart = new long[inputs.Count + 1];
            for (int i = 0; i < inputs.Count; i++)
            {
                var special = inputs.Encodings[i].SpecialTokensMask;
                _kept[i] = Enumerable.Range(0, special.Length).Where(t => includeSpecial || special[t] == 0).ToArray();
                _rowStart[i + 1] = _rowStart[i] + _kept[i].Length;
            }
            _buffer = new float[_rowStart[^1] * dimensions];
        }

        public override IReadOnlyList<int[]> Ids => _inputs.Ids;
        public override IReadOnlyList<int[]> TypeIds => _inputs.TypeIds;
        public override string OutputName { get; }

        public override void OnRow(int index, ReadOnlySpan<float> rows, ReadOnlySpan<long> mask, int width)
        {
            if (width != _dimensions)
                throw new InvalidOperationException($"The model produced {width}-dimensional token vectors; {_dimensions} were expected.");
            // The k-th real position of the padded row is token k of the encoding (padding may come first).
            int firstReal = mask.IndexOfAnyExcept(0L);
            long row = _rowStart[index];
            foreach (int token in _kept[index])
            {
                var destination = _buffer.AsSpan((int)(row++ * _dimensions), _dimensions);
                rows.Slice((firstReal + token) * _dimensions, _dimensions).CopyTo(destination);
                if (_normalize) VectorNormalization.NormalizeInPlace(destination);
            }
        }

        public override IReadOnlyList<TokenEmbeddings> Finish()
        {
            var results = new TokenEmbeddings[_inputs.Count];
            for (int i = 0; i < results.Length; i++)
            {
                var encoding = _inputs.Encodings[i];
                var keep = _kept[i];
                results[i] = new TokenEmbeddings(
                    keep.Select(t => encoding.Ids[t]).ToArray(),
                    keep.Select(t => encoding.Tokens[t]).ToArray(),
                    keep.Select(t => encoding.Offsets[t]).ToArray(),
                    keep.Select(t => encoding.SpecialTokensMask[t] != 0).ToArray(),
                    new ReadOnlyMemory<float>(_buffer, (int)(_rowStart[i] * _dimensions), keep.Length * _dimensions),
                    _dimensions, encoding.WasTruncated);
            }
            return results;
        }
    }
}
