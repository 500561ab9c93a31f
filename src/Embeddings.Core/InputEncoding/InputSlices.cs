namespace Embeddings.InputEncoding;

/// <summary>
/// Runs a very large call in consecutive slices of the input, so that only one slice's tokenized form is
/// alive at a time: memory follows the slice and the token budget, not the size of the corpus. Each slice is
/// still length-sorted into batches on its own; progress and item indexes in errors stay global.
/// </summary>
internal static class InputSlices
{
    /// <summary>Texts per slice: enough for well-filled length-sorted batches, few enough to keep memory flat.</summary>
    public const int SliceSize = 4096;

    public static TResult Run<TOptions, TResult>(IReadOnlyList<string> texts, TOptions options, CancellationToken cancellationToken,
        Func<IReadOnlyList<string>, TOptions, TResult> run, Func<IReadOnlyList<TResult>, TResult> combine)
        where TOptions : BatchingOptions
    {
        if (texts.Count <= SliceSize) return run(texts, options);
        var parts = new List<TResult>((texts.Count + SliceSize - 1) / SliceSize);
        var progress = options.Progress;
        for (int start = 0; start < texts.Count; start += SliceSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(SliceSize, texts.Count - start);
            var slice = new ArraySegment<string>(texts as string[] ?? Copy(texts, start, count), texts is string[] ? start : 0, count);
            var sliceOptions = (TOptions)options.ShallowCopy();
            int offset = start;
            sliceOptions.Progress = progress is null ? null
                : new ForwardingProgress(p => progress.Report(new EmbeddingProgress(offset + p.Completed, texts.Count)));
            try
            {
                parts.Add(run(slice, sliceOptions));
            }
            catch (InputTooLongException e)
            {
                throw new InputTooLongException(e.Index + offset, e.TokenCount, e.MaxTokens, e.ParamName ?? "texts");
            }
        }
        return combine(parts);
    }

    private static string[] Copy(IReadOnlyList<string> texts, int start, int count)
    {
        var copy = new string[count];
        for (int i = 0; i < count; i++) copy[i] = texts[start + i];
        return copy;
    }

    /// <summary>Forwards reports synchronously (unlike <see cref="Progress{T}"/>, which posts to a context).</summary>
    private sealed class ForwardingProgress(Action<EmbeddingProgress> report) : IProgress<EmbeddingProgress>
    {
        public void Report(EmbeddingProgress value) => report(value);
    }
}
