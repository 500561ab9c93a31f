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

    public IReadOnlyList<IReadOnlyList<DocumentChunk>> Run(IReadOnlyList<string> documents, LateChunkOptions options, CancellationToken cancellationToken)
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
        int dimensions = core.HiddenSize;

        // Plan every document: tokens, chunks, windows. Windows of all documents then run as one set of batches.
        var docs = new Document[documents.Count];
        var windowIds = new List<int[]>();
        var windowTypes = new List<int[]>();
        var windowOwner = new List<(int Doc, int Window)>();
        var windowContent = new List<int[]>(); // positions of content tokens inside each window's sequence
        int chunkRows = 0;
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
            docs[d] = new Document
            {
                Text = text, Chunks = chunks, Windows = windows, Owner = windows.Length == 0 ? [] : MacroWindows.Assign(encoding.Length, windows),
                ChunksOfToken = chunksOfToken, FirstChunk = chunkRows, TokenCounts = tokensOfChunk.Select(t => t.Count).ToArray(),
            };
            chunkRows += chunks.Count;
            for (int w = 0; w < windows.Length; w++)
            {
                var window = tokenizer.PostProcess(EncodingWindows.Slice(encoding, windows[w].Start, windows[w].Length), null, addSpecialTokens: true);
                windowIds.Add(window.Ids);
                windowTypes.Add(window.TypeIds);
                windowOwner.Add((d, w));
                windowContent.Add(Enumerable.Range(0, window.Length).Where(p => window.SpecialTokensMask[p] == 0).ToArray());
            }
        }

        var sums = new float[(long)chunkRows * dimensions];
        core.Runner.Run(windowIds, windowTypes, output.Name,
            options.MaxBatchTokens ?? core.Options.MaxBatchTokens, options.MaxBatchSize ?? core.Options.MaxBatchSize,
            options.Progress, cancellationToken,
            (index, rows, mask, width) =>
            {
                if (width != dimensions)
                    throw new InvalidOperationException($"The model produced {width}-dimensional token vectors; {dimensions} were expected.");
                var (d, w) = windowOwner[index];
                var doc = docs[d];
                var window = doc.Windows[w];
                int firstReal = mask.IndexOfAnyExcept(0L);
                var content = windowContent[index];
                for (int j = 0; j < content.Length; j++)
                {
                    int token = window.Start + j;
                    if (doc.Owner[token] != w || doc.ChunksOfToken[token] is not { } owners) continue;
                    var vector = rows.Slice((firstReal + content[j]) * dimensions, dimensions);
                    foreach (int c in owners)
                        System.Numerics.Tensors.TensorPrimitives.Add(sums.AsSpan((doc.FirstChunk + c) * dimensions, dimensions), vector,
                            sums.AsSpan((doc.FirstChunk + c) * dimensions, dimensions));
                }
            });

        var results = new IReadOnlyList<DocumentChunk>[docs.Length];
        for (int d = 0; d < docs.Length; d++)
        {
            var doc = docs[d];
            var chunks = new DocumentChunk[doc.Chunks.Count];
            for (int c = 0; c < chunks.Length; c++)
            {
                var span = doc.Chunks[c];
                var vector = sums.AsSpan((doc.FirstChunk + c) * dimensions, dimensions);
                if (doc.TokenCounts[c] > 0) System.Numerics.Tensors.TensorPrimitives.Divide(vector, doc.TokenCounts[c], vector);
                if (options.Normalize) VectorNormalization.NormalizeInPlace(vector);
                chunks[c] = new DocumentChunk(span.Start, span.End, span.TextOf(doc.Text),
                    new ReadOnlyMemory<float>(sums, (doc.FirstChunk + c) * dimensions, dimensions), doc.TokenCounts[c]);
            }
            results[d] = chunks;
        }
        return results;
    }
}
