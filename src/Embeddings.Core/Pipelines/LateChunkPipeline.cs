using System.Numerics.Tensors;
using Embeddings.Chunking;
using Embeddings.PostProcessing;
using Embeddings.Tokenization;

namespace Embeddings.Pipelines;

/// <summary>
/// LateChunk: every document is run through the model whole (in overlapping windows when it is longer than
/// the model allows), and each chunk's vector is the mean of the vectors of the tokens inside it. A token
/// takes its vector from the window where it has the most context on both sides; special tokens, added to
/// every window as the model expects, are never pooled. Only per-chunk sums are kept, so memory grows with
/// the number of chunks, not with the document's tokens × hidden size.
/// </summary>
internal sealed class LateChunkPipeline
{
    private readonly EmbedderCore _core;

    public LateChunkPipeline(EmbedderCore core) => _core = core;

    private sealed class Document
    {
        public required string Text { get; init; }
        public required IReadOnlyList<ChunkSpan> Chunks { get; init; }
        public required MacroWindow[] Windows { get; init; }
        public required int[] Owner { get; init; }            // document token → window that supplies its vector
        public required List<int>[] ChunksOfToken { get; init; }
        public required int FirstChunk { get; init; }          // row of its first chunk in the shared buffer
        public required int[] TokenCounts { get; init; }
    }

    public PreparedCall<IReadOnlyList<IReadOnlyList<DocumentChunk>>> Prepare(IReadOnlyList<string> documents, LateChunkOptions options, CancellationToken cancellationToken)
    {
        var core = _core;
        var output = core.TokenOutput ?? throw new NotSupportedException(
            $"The model {core.Info.ModelId} gives no per-token hidden states (its outputs: {core.OutputNames}), so it cannot late-chunk.");
        var tokenizer = core.Tokenizer;
        int specials = tokenizer.NumSpecialTokensToAdd(isPair: false);
        int maxLength = Math.Min(options.MaxLength ?? core.Info.MaxSequenceLength, core.Info.MaxSequenceLength);
        int windowLength = maxLength - specials;
        if (windowLength < 1)
            throw new ArgumentOutOfRangeException(nameof(options), maxLength, $"MaxLength {maxLength} leaves no room for text next to the model's {specials} special tokens.");
        int overlap = Math.Min(options.WindowOverlap ?? windowLength / 4, windowLength - 1);

        // Plan every document: tokens, chunks, windows. Windows of all documents then run as one set of batches.
        var call = new Call(output.Name, core.HiddenSize, options.Normalize)
        {
            Limits = BatchLimits.Resolve(options, core.Options),
        };
        for (int d = 0; d < documents.Count; d++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string text = documents[d];
            var encoding = tokenizer.Encode(text, new EncodeOptions { AddSpecialTokens = false });
            var tokenSpans = encoding.Offsets.Select(o => new ChunkSpan(o.Start, o.End)).ToArray();
            var chunks = options.Chunker.Chunk(text, tokenSpans);
            foreach (var chunk in chunks)
                if (chunk.Start < 0 || chunk.End > text.Length || chunk.End < chunk.Start)
                    throw new ArgumentException($"Chunk span [{chunk.Start}, {chunk.End}) lies outside document {d} of {text.Length} characters.", nameof(options));
            var tokensOfChunk = ChunkTokens.Map(text, tokenSpans, chunks);
            var chunksOfToken = new List<int>[encoding.Length];
            for (int c = 0; c < tokensOfChunk.Length; c++)
                foreach (int t in tokensOfChunk[c]) (chunksOfToken[t] ??= []).Add(c);
            var windows = encoding.Length == 0 || chunks.Count == 0 ? [] : MacroWindows.Plan(encoding.Length, windowLength, overlap);
            var doc = new Document
            {
                Text = text, Chunks = chunks, Windows = windows, Owner = windows.Length == 0 ? [] : MacroWindows.Assign(encoding.Length, windows),
                ChunksOfToken = chunksOfToken, FirstChunk = call.ChunkRows, TokenCounts = tokensOfChunk.Select(t => t.Count).ToArray(),
            };
            var windowEncodings = windows.Select(w =>
                tokenizer.PostProcess(EncodingWindows.Slice(encoding, w.Start, w.Length), null, addSpecialTokens: true)).ToArray();
            call.Add(doc, windowEncodings);
        }
        call.AllocateSums();
        return call;
    }

    private sealed class Call : PreparedCall<IReadOnlyList<IReadOnlyList<DocumentChunk>>>
    {
        private readonly int _dimensions;
        private readonly bool _normalize;
        private readonly List<Document> _docs = [];
        private readonly List<int[]> _ids = [];
        private readonly List<int[]> _typeIds = [];
        private readonly List<(int Doc, int Window)> _windowOwner = [];
        private readonly List<int[]> _windowContent = []; // positions of content tokens inside each window's sequence
        private float[] _sums = [];

        public Call(string outputName, int dimensions, bool normalize)
        {
            OutputName = outputName;
            _dimensions = dimensions;
            _normalize = normalize;
        }

        public int ChunkRows { get; private set; }
        public override IReadOnlyList<int[]> Ids => _ids;
        public override IReadOnlyList<int[]> TypeIds => _typeIds;
        public override string OutputName { get; }

        public void Add(Document doc, Tokenization.Encoding[] windows)
        {
            int d = _docs.Count;
            _docs.Add(doc);
            ChunkRows += doc.Chunks.Count;
            for (int w = 0; w < windows.Length; w++)
            {
                var window = windows[w];
                _ids.Add(window.Ids);
                _typeIds.Add(window.TypeIds);
                _windowOwner.Add((d, w));
                _windowContent.Add(Enumerable.Range(0, window.Length).Where(p => window.SpecialTokensMask[p] == 0).ToArray());
            }
        }

        public void AllocateSums() => _sums = new float[(long)ChunkRows * _dimensions];

        public override void OnRow(int index, ReadOnlySpan<float> rows, ReadOnlySpan<long> mask, int width)
        {
            if (width != _dimensions)
                throw new InvalidOperationException($"The model produced {width}-dimensional token vectors; {_dimensions} were expected.");
            var (d, w) = _windowOwner[index];
            var doc = _docs[d];
            var window = doc.Windows[w];
            int firstReal = mask.IndexOfAnyExcept(0L);
            var content = _windowContent[index];
            for (int j = 0; j < content.Length; j++)
            {
                int token = window.Start + j;
                if (doc.Owner[token] != w || doc.ChunksOfToken[token] is not { } owners) continue;
                var vector = rows.Slice((firstReal + content[j]) * _dimensions, _dimensions);
                foreach (int c in owners)
                {
                    var sum = _sums.AsSpan((doc.FirstChunk + c) * _dimensions, _dimensions);
                    TensorPrimitives.Add(sum, vector, sum);
                }
            }
        }

        public override IReadOnlyList<IReadOnlyList<DocumentChunk>> Finish()
        {
            var results = new IReadOnlyList<DocumentChunk>[_docs.Count];
            for (int d = 0; d < _docs.Count; d++)
            {
                var doc = _docs[d];
                var chunks = new DocumentChunk[doc.Chunks.Count];
                for (int c = 0; c < chunks.Length; c++)
                {
                    var span = doc.Chunks[c];
                    int row = (doc.FirstChunk + c) * _dimensions;
                    var vector = _sums.AsSpan(row, _dimensions);
                    if (doc.TokenCounts[c] > 0) TensorPrimitives.Divide(vector, doc.TokenCounts[c], vector);
                    if (_normalize) VectorNormalization.NormalizeInPlace(vector);
                    chunks[c] = new DocumentChunk(span.Start, span.End, span.TextOf(doc.Text), new ReadOnlyMemory<float>(_sums, row, _dimensions), doc.TokenCounts[c]);
                }
                results[d] = chunks;
            }
            return results;
        }
    }
}
