using System.Runtime.ExceptionServices;
using System.Collections.Concurrent;
using System.Numerics.Tensors;
using Embeddings.Models;
using Embeddings.Pooling;
using Embeddings.PostProcessing;
using Embeddings.Tokenization;

namespace Embeddings.Static;

/// <summary>
/// Embed for a static model: tokenize each text straight into a per-thread id buffer, add its tokens' rows into the
/// caller's row of the result (SIMD), divide by the count, normalize. Nothing is allocated per text beyond the result;
/// large calls are spread over the cores in contiguous ranges.
/// </summary>
internal sealed class StaticEmbeddingPipeline
{
    /// <summary>Below this many texts one thread is faster than coordinating several (a text costs about a microsecond).</summary>
    private const int ParallelThreshold = 512;

    /// <summary>Texts per work item when the call is spread over cores.</summary>
    private const int RangeSize = 256;

    [ThreadStatic] private static int[]? t_ids;

    private readonly StaticEmbeddingModel _model;

    public StaticEmbeddingPipeline(StaticEmbeddingModel model, EmbedderOptions options)
    {
        _model = model;
        var st = model.SentenceTransformers;
        Info = new EmbedderInfo
        {
            ModelId = options.ModelId ?? Path.GetFileName(model.Directory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)),
            Dimensions = model.Dimensions,
            HiddenSize = model.Dimensions,
            MaxSequenceLength = model.MaxTokens ?? int.MaxValue,
            VocabularySize = model.Tokenizer.VocabularySize,
            Pooling = [PoolingMode.Mean],
            Normalize = model.Normalize,
            Prompts = st.Prompts,
            DefaultPromptName = st.DefaultPromptName,
            Similarity = st.Similarity,
            PaddingSide = SequenceSide.Right,
            SupportsSparse = false,
            SupportsTokenEmbeddings = false,
            BatchDependent = false,
        };
    }

    public EmbedderInfo Info { get; }

    public EmbeddingResult Embed(IReadOnlyList<string> texts, EmbedOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (options.Pooling is { } pooling && pooling != PoolingMode.Mean)
            throw new NotSupportedByModelException($"Pooling {pooling}", Info.ModelId, "a static embedding model averages its token rows (mean pooling) only.");
        int dimensions = options.Dimensions ?? _model.Dimensions;
        if (dimensions > _model.Dimensions)
            throw new ArgumentOutOfRangeException(nameof(options), dimensions, $"Dimensions is {dimensions} but the model's vectors have {_model.Dimensions}.");
        string prompt = ResolvePrompt(options.PromptName, options.Prompt);
        bool normalize = options.Normalize ?? _model.Normalize;
        var result = new float[(long)texts.Count * dimensions];
        var tokenCounts = new int[texts.Count];
        var truncated = new bool[texts.Count];
        var job = new Job(_model, texts, prompt, options.Truncation, dimensions, normalize, result, tokenCounts, truncated);

        if (texts.Count < ParallelThreshold)
        {
            job.Run(0, texts.Count, cancellationToken);
        }
        else
        {
            var ranges = Partitioner.Create(0, texts.Count, RangeSize);
            try
            {
                Parallel.ForEach(ranges, new ParallelOptions { CancellationToken = cancellationToken }, range => job.Run(range.Item1, range.Item2, cancellationToken));
            }
            catch (AggregateException e)
            {
                ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw(); // the library's own typed error, not a wrapper
                throw;
            }
        }
        if (job.TooLong is { } tooLong) throw tooLong;
        options.Progress?.Report(new EmbeddingProgress(texts.Count, texts.Count));
        var truncatedIndexes = new List<int>();
        for (int i = 0; i < truncated.Length; i++) if (truncated[i]) truncatedIndexes.Add(i);
        return new EmbeddingResult(result, dimensions, tokenCounts, truncatedIndexes.ToArray());
    }

    private string ResolvePrompt(string? promptName, string? promptText)
    {
        if (promptText is not null) return promptText;
        string? name = promptName ?? Info.DefaultPromptName;
        if (name is null) return "";
        if (Info.Prompts.TryGetValue(name, out var prompt)) return prompt;
        string known = Info.Prompts.Count == 0 ? "the model defines no prompts" : "known prompts: " + string.Join(", ", Info.Prompts.Keys);
        throw new ArgumentException($"Unknown prompt name \"{name}\"; {known}.", nameof(promptName));
    }

    /// <summary>One call's shared state; <see cref="Run"/> fills a range of its rows.</summary>
    private sealed class Job(StaticEmbeddingModel model, IReadOnlyList<string> texts, string prompt, OverlongInputPolicy policy, int dimensions,
        bool normalize, float[] result, int[] tokenCounts, bool[] truncated)
    {
        private InputTooLongException? _tooLong;

        public InputTooLongException? TooLong => Volatile.Read(ref _tooLong);

        public void Run(int start, int end, CancellationToken cancellationToken)
        {
            var table = model.Table;
            int width = model.Dimensions;
            int limit = model.MaxTokens ?? int.MaxValue;
            int? skipped = model.SkippedTokenId;
            for (int i = start; i < end; i++)
            {
                if ((i & 63) == 0) cancellationToken.ThrowIfCancellationRequested();
                int count = Tokenize(texts[i], limit, policy == OverlongInputPolicy.Error, i, out bool cut, out var ids);
                truncated[i] = cut;
                var row = result.AsSpan((int)((long)i * dimensions), dimensions);
                int used = 0;
                for (int t = 0; t < count; t++)
                {
                    int id = ids[t];
                    if (id == skipped) continue;
                    if ((uint)id >= (uint)model.VocabularySize)
                        throw new ModelConfigurationException(
                            $"Item {i} has token id {id}, outside the model's table of {model.VocabularySize} rows: the tokenizer does not belong to this model.");
                    // The first `dimensions` columns only: the mean commutes with Matryoshka truncation.
                    TensorPrimitives.Add(row, table.AsSpan(id * width, dimensions), row);
                    used++;
                }
                tokenCounts[i] = count;
                if (used > 1) TensorPrimitives.Divide(row, used, row);
                if (normalize) VectorNormalization.NormalizeInPlace(row);
            }
        }

        // The text's ids (prompt prepended, no special tokens) in a per-thread buffer; the model's limit applies.
        private int Tokenize(string text, int limit, bool refuseLonger, int index, out bool cut, out int[] ids)
        {
            var tokenizer = model.Tokenizer;
            ReadOnlySpan<char> input = text;
            string? joined = null;
            if (prompt.Length > 0) input = joined = string.Concat(prompt, text);
            // A token covers at least one UTF-8 byte, and a UTF-16 unit is at most 3 of them.
            long bound = Math.Min((long)input.Length * 3 + 8, limit == int.MaxValue ? long.MaxValue : (long)limit + 1);
            ids = t_ids is { } buffer && buffer.Length >= bound ? buffer : (t_ids = new int[Math.Max(bound, 256)]);
            cut = false;
            if (model.TruncationSide == SequenceSide.Left && limit != int.MaxValue)
            {
                var encoding = tokenizer.Encode(joined ?? text, new EncodeOptions { AddSpecialTokens = false });
                cut = encoding.Length > limit;
                if (cut && refuseLonger) { Refuse(index, encoding.Length, limit); return 0; }
                int take = Math.Min(limit, encoding.Length);
                encoding.Ids.AsSpan(encoding.Length - take).CopyTo(ids);
                return take;
            }
            int probe = limit == int.MaxValue ? int.MaxValue : limit + 1;
            int count = tokenizer.EncodeToIds(input, ids, probe, addSpecialTokens: false);
            if (count > limit)
            {
                cut = true;
                if (refuseLonger)
                {
                    Refuse(index, tokenizer.Encode(joined ?? text, new EncodeOptions { AddSpecialTokens = false }).Length, limit);
                    return 0;
                }
                count = limit; // right-side truncation without special tokens keeps the first `limit` ids
            }
            return count;
        }

        private void Refuse(int index, int length, int limit)
        {
            var error = new InputTooLongException(index, length, limit);
            // Report the first text that does not fit, whichever thread found one.
            while (true)
            {
                var current = Volatile.Read(ref _tooLong);
                if (current is not null && current.Index <= index) return;
                if (Interlocked.CompareExchange(ref _tooLong, error, current) == current) return;
            }
        }
    }
}
