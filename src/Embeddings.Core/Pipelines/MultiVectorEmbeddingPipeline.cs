using Embeddings.InputEncoding;
using System.Buffers;
using Embeddings.Batching;
using Embeddings.Models;
using Embeddings.PostProcessing;
using Embeddings.Tokenization;

namespace Embeddings.Pipelines;

/// <summary>
/// EmbedMultiVector: the token path of EmbedTokens, then per kept token the model's token-level Dense chain and
/// normalization, written into one buffer for the whole call. Which tokens are kept, how long each role may be,
/// and how queries are expanded follow sentence-transformers 6's MultiVectorEncoder (see <see cref="MultiVectorConfig"/>).
/// </summary>
internal sealed class MultiVectorEmbeddingPipeline
{
    private readonly EmbedderCore _core;
    private readonly MultiVectorConfig? _config;
    private readonly InputEncoder? _queryEncoder;
    private readonly InputEncoder? _documentEncoder;
    private readonly HashSet<int> _skiplistIds = [];
    private readonly HashSet<int>? _keepOnlyIds;
    private readonly int _expansionId = -1;

    public MultiVectorEmbeddingPipeline(EmbedderCore core)
    {
        _core = core;
        _config = core.Folder.MultiVector;
        if (_config is not { } config) return;
        var folder = core.Folder;
        // A role's limit replaces the model's (as in sentence-transformers) but never goes past the position table.
        int Cap(int length) => folder.Transformer.MaxSequenceLength is > 0 and var positions ? Math.Min(length, positions) : length;
        int queryLimit = config.QueryExpansion switch
        {
            { Strategy: QueryExpansionStrategy.Fixed } e => e.Length,
            { } e => Math.Max(config.QueryLength ?? folder.MaxSequenceLength, e.Length),
            null => config.QueryLength ?? folder.MaxSequenceLength,
        };
        var side = folder.TokenizerSettings.TruncationSide ?? SequenceSide.Right;
        var tokenizer = config.LegacyPrefixes.Count == 0 ? core.Tokenizer
            : MultiVector.LegacyPrefixTokens.Register(core.Tokenizer, folder.TokenizerJsonPath, config.LegacyPrefixes);
        _queryEncoder = new InputEncoder(tokenizer, Cap(queryLimit), side, folder.LowercaseInput);
        _documentEncoder = new InputEncoder(tokenizer, Cap(config.DocumentLength ?? folder.MaxSequenceLength), side, folder.LowercaseInput);

        if (config.Mask is { } mask)
        {
            // Words that are not one vocabulary token are left out, as sentence-transformers does (they would
            // otherwise match every unknown token).
            foreach (var word in mask.SkiplistWords)
                if (core.Tokenizer.TokenToId(word) is { } id) _skiplistIds.Add(id);
            if (mask.KeepOnlyTokenIds is { Count: > 0 } keep) _keepOnlyIds = [.. keep];
        }
        if (config.QueryExpansion is { } expansion)
        {
            if (folder.PaddingSide == SequenceSide.Left)
                throw new ModelConfigurationException("query expansion needs right padding; the tokenizer pads on the left.", folder.Directory);
            string? token = expansion.Token ?? folder.TokenizerSettings.MaskToken ?? folder.TokenizerSettings.EosToken;
            _expansionId = token is null ? -1 : core.Tokenizer.TokenToId(token) ?? -1;
            if (_expansionId < 0)
                throw new ModelConfigurationException(expansion.Token is null
                    ? "query expansion needs a mask or end-of-sequence token, and the tokenizer declares neither."
                    : $"the query expansion token \"{expansion.Token}\" is not in the tokenizer's vocabulary.", folder.Directory);
        }
    }

    /// <summary>The width of the rows, or 0 for a model that is not multi-vector.</summary>
    public int Dimensions => _config is null ? 0 : _config.Dimensions ?? _core.HiddenSize;

    /// <summary>True when the model is multi-vector.</summary>
    public bool Supported => _config is not null;

    /// <summary>True when calls for <paramref name="role"/> feed some tokens without attention, so they cannot
    /// share batches with other calls.</summary>
    public bool RunsAlone(MultiVectorRole role) => role == MultiVectorRole.Query && _config?.QueryExpansion is { Attend: false };

    public PreparedCall<IReadOnlyList<MultiVectorEmbedding>> Prepare(IReadOnlyList<string> texts, MultiVectorRole role, MultiVectorOptions options,
        CancellationToken cancellationToken)
    {
        if (role is not (MultiVectorRole.Query or MultiVectorRole.Document))
            throw new ArgumentOutOfRangeException(nameof(role), role, "expected Query or Document.");
        var core = _core;
        var config = _config ?? throw new NotSupportedException(
            $"The model {core.Info.ModelId} is not a multi-vector (ColBERT-style) model: its folder is neither a sentence-transformers MultiVectorEncoder nor a PyLate model.");
        var output = core.TokenOutput ?? throw new NotSupportedException(
            $"The model {core.Info.ModelId} gives no per-token hidden states (its outputs: {core.OutputNames}), so it cannot produce multi-vector embeddings.");
        int width = core.HiddenSize;
        foreach (var layer in config.DenseLayers)
        {
            if (layer.InFeatures != width)
                throw new ModelConfigurationException($"A token-level Dense module takes {layer.InFeatures} values but receives {width}.", core.Folder.Directory);
            width = layer.OutFeatures;
        }

        string prompt = ResolvePrompt(config, role, options);
        var encoder = role == MultiVectorRole.Query ? _queryEncoder! : _documentEncoder!;
        var inputs = encoder.Encode(texts, prompt, options.Truncation, nameof(texts), cancellationToken);
        return new Call(this, config, inputs, role, prompt.Length, output.Name, width)
        {
            Limits = BatchLimits.Resolve(options, core.Options),
        };
    }

    // The caller's prompt, else the role's own (sentence-transformers' encode_query / encode_document), else the default.
    private string ResolvePrompt(MultiVectorConfig config, MultiVectorRole role, MultiVectorOptions options)
    {
        if (options.Prompt is not null) return options.Prompt;
        string? name = options.PromptName;
        if (name is null)
        {
            string roleName = role == MultiVectorRole.Query ? MultiVectorConfig.QueryPromptName : MultiVectorConfig.DocumentPromptName;
            name = config.Prompts.ContainsKey(roleName) ? roleName : _core.Info.DefaultPromptName;
        }
        if (name is null) return "";
        if (config.Prompts.TryGetValue(name, out var prompt)) return prompt;
        string known = config.Prompts.Count == 0 ? "the model defines no prompts" : "known prompts: " + string.Join(", ", config.Prompts.Keys);
        throw new ArgumentException($"Unknown prompt name \"{name}\"; {known}.", nameof(options));
    }

    // Which positions of a sequence are scored, in sentence-transformers' MultiVectorMask order: real tokens (and
    // query expansion positions when a mask module scores them), minus the skiplist for the roles it covers,
    // restricted to the allow-list for documents.
    private int[] KeptPositions(int[] ids, int realLength, int attended, MultiVectorRole role, MultiVectorConfig config)
    {
        var kept = new List<int>(ids.Length);
        var mask = config.Mask;
        string roleName = role == MultiVectorRole.Query ? MultiVectorConfig.QueryPromptName : MultiVectorConfig.DocumentPromptName;
        bool skip = mask is not null && _skiplistIds.Count > 0 && mask.SkiplistTasks.Contains(roleName);
        bool allowList = role != MultiVectorRole.Query && _keepOnlyIds is not null;
        for (int p = 0; p < ids.Length; p++)
        {
            bool scored = p < attended || (p >= realLength && mask is not null);
            if (!scored) continue;
            if (skip && _skiplistIds.Contains(ids[p])) continue;
            if (allowList && !_keepOnlyIds!.Contains(ids[p])) continue;
            kept.Add(p);
        }
        return [.. kept];
    }

    private sealed class Call : PreparedCall<IReadOnlyList<MultiVectorEmbedding>>
    {
        private readonly MultiVectorConfig _config;
        private readonly EncodedInputs _inputs;
        private readonly int _promptLength;
        private readonly int _hidden;
        private readonly int _dimensions;
        private readonly bool _paddedLeft;
        private readonly int[][] _ids;        // what the model is fed (with expansion tokens)
        private readonly int[][] _typeIds;
        private readonly int[]? _attended;    // set only when some positions are fed without attention
        private readonly int[][] _kept;       // scored positions per text
        private readonly long[] _rowStart;    // where each text's rows start in the shared buffer
        private readonly float[] _buffer;

        public Call(MultiVectorEmbeddingPipeline pipeline, MultiVectorConfig config, EncodedInputs inputs, MultiVectorRole role, int promptLength,
            string outputName, int dimensions)
        {
            _config = config;
            _inputs = inputs;
            _promptLength = promptLength;
            OutputName = outputName;
            _hidden = pipeline._core.HiddenSize;
            _dimensions = dimensions;
            _paddedLeft = pipeline._core.Folder.PaddingSide == SequenceSide.Left;
            int count = inputs.Count;
            _ids = new int[count][];
            _typeIds = new int[count][];
            _kept = new int[count][];
            _rowStart = new long[count + 1];
            var expansion = role == MultiVectorRole.Query ? config.QueryExpansion : null;
            if (expansion is { Attend: false }) _attended = new int[count];
            for (int i = 0; i < count; i++)
            {
                int[] ids = inputs.Ids[i], types = inputs.TypeIds[i];
                int real = ids.Length;
                if (expansion is not null && real < expansion.Length && real > 0)
                {
                    // Fill up to the expansion width with the expansion token (segment 0), as padding would be.
                    ids = [.. ids, .. Enumerable.Repeat(pipeline._expansionId, expansion.Length - real)];
                    types = [.. types, .. new int[expansion.Length - real]];
                }
                _ids[i] = ids;
                _typeIds[i] = types;
                int attended = expansion is { Attend: false } ? real : ids.Length;
                if (_attended is not null) _attended[i] = attended;
                _kept[i] = pipeline.KeptPositions(ids, real, attended, role, config);
                _rowStart[i + 1] = _rowStart[i] + _kept[i].Length;
            }
            _buffer = new float[checked(_rowStart[^1] * dimensions)];
        }

        public override IReadOnlyList<int[]> Ids => _ids;
        public override IReadOnlyList<int[]> TypeIds => _typeIds;
        public override IReadOnlyList<int>? AttendedLengths => _attended;
        public override string OutputName { get; }

        public override void OnRow(int index, ReadOnlySpan<float> rows, ReadOnlySpan<long> mask, int width)
        {
            if (width != _hidden)
                throw new InvalidOperationException($"The model produced {width}-dimensional token vectors; {_hidden} were expected.");
            int length = rows.Length / width;
            int offset = _paddedLeft ? length - _ids[index].Length : 0;
            var layers = _config.DenseLayers;
            int widest = layers.Count == 0 ? 0 : layers.Max(l => l.OutFeatures);
            float[]? scratchA = null, scratchB = null;
            if (layers.Count > 1)
            {
                scratchA = ArrayPool<float>.Shared.Rent(widest);
                scratchB = ArrayPool<float>.Shared.Rent(widest);
            }
            try
            {
                long row = _rowStart[index];
                foreach (int position in _kept[index])
                {
                    var source = rows.Slice((offset + position) * width, width);
                    var destination = _buffer.AsSpan((int)(row++ * _dimensions), _dimensions);
                    ApplyChain(layers, source, destination, scratchA, scratchB);
                    if (_config.Normalize) VectorNormalization.NormalizeInPlace(destination);
                }
            }
            finally
            {
                if (scratchA is not null) ArrayPool<float>.Shared.Return(scratchA);
                if (scratchB is not null) ArrayPool<float>.Shared.Return(scratchB);
            }
        }

        // Runs the token-level Dense modules in order; intermediate widths go through the two scratch rows.
        private static void ApplyChain(IReadOnlyList<DenseLayer> layers, ReadOnlySpan<float> source, Span<float> destination, float[]? a, float[]? b)
        {
            if (layers.Count == 0)
            {
                source.CopyTo(destination);
                return;
            }
            ReadOnlySpan<float> input = source;
            for (int l = 0; l < layers.Count; l++)
            {
                var layer = layers[l];
                Span<float> target = l == layers.Count - 1 ? destination : (l % 2 == 0 ? a! : b!).AsSpan(0, layer.OutFeatures);
                layer.Apply(input, target);
                input = target;
            }
        }

        public override IReadOnlyList<MultiVectorEmbedding> Finish()
        {
            var results = new MultiVectorEmbedding[_inputs.Count];
            for (int i = 0; i < results.Length; i++)
            {
                var encoding = _inputs.Encodings[i];
                var kept = _kept[i];
                var offsets = new TokenOffset[kept.Length];
                for (int r = 0; r < kept.Length; r++)
                    offsets[r] = CallerOffset(encoding, kept[r]);
                results[i] = new MultiVectorEmbedding(
                    kept.Select(p => _ids[i][p]).ToArray(), kept, offsets,
                    new ReadOnlyMemory<float>(_buffer, (int)(_rowStart[i] * _dimensions), kept.Length * _dimensions),
                    _dimensions, encoding.WasTruncated);
            }
            return results;
        }

        // The token's span in the caller's text: the model input is prompt + text, so spans shift by the prompt;
        // special, prompt and expansion tokens have none.
        private TokenOffset CallerOffset(Encoding encoding, int position)
        {
            if (position >= encoding.Length || encoding.SpecialTokensMask[position] != 0) return default;
            var offset = encoding.Offsets[position];
            if (offset.End <= _promptLength) return default;
            return new TokenOffset(Math.Max(0, offset.Start - _promptLength), offset.End - _promptLength);
        }
    }
}
