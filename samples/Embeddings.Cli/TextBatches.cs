using Embeddings.Cli.Feedback;

namespace Embeddings.Cli;

/// <summary>
/// Reads the <c>text</c> of each input line and hands them on in groups, so large inputs stream through
/// with bounded memory while each group is still batched by length inside the library.
/// </summary>
internal static class TextBatches
{
    /// <summary>Lines per group: large enough for good length-sorted batches, small enough to keep memory flat.</summary>
    public const int GroupSize = 2048;

    public static IEnumerable<(int[] Lines, string[] Texts)> Read(TextReader input)
    {
        var lines = new List<int>(GroupSize);
        var texts = new List<string>(GroupSize);
        foreach (var (line, obj) in JsonLinesReader.Read(input))
        {
            lines.Add(line);
            texts.Add(JsonLinesReader.String(obj, "text", line, required: true)!);
            if (texts.Count == GroupSize)
            {
                yield return (lines.ToArray(), texts.ToArray());
                lines.Clear();
                texts.Clear();
            }
        }
        if (texts.Count > 0) yield return (lines.ToArray(), texts.ToArray());
    }

    /// <summary>
    /// The shape every model command shares: read the texts in groups, run them through the library, write one
    /// JSON object per result in input order; an item error names its input line.
    /// </summary>
    public static void Process<TResult>(CommandIO io, Func<string[], IReadOnlyList<TResult>> run, Action<JsonLineWriter, TResult> write) =>
        Process(io, null, null, run, write);

    /// <summary>
    /// <see cref="Process{TResult}(CommandIO, Func{string[], IReadOnlyList{TResult}}, Action{JsonLineWriter, TResult})"/>,
    /// telling <paramref name="progress"/> how many input lines are done: <paramref name="options"/>.Progress is pointed
    /// at each group in turn, so the library's per-batch reports move the count inside a group.
    /// </summary>
    public static void Process<TResult>(CommandIO io, ICountProgress? progress, BatchingOptions? options,
        Func<string[], IReadOnlyList<TResult>> run, Action<JsonLineWriter, TResult> write)
    {
        var writer = new JsonLineWriter(io.Output);
        ForEachGroup(io, progress, options, texts =>
        {
            foreach (var result in run(texts))
            {
                writer.BeginObject();
                write(writer, result);
                writer.EndObject();
            }
        }, locate: texts => run(texts));
    }

    /// <summary>
    /// Hands each group of texts to <paramref name="handle"/>, turning an item error into one naming its input line,
    /// and telling <paramref name="progress"/> how many lines are done. Any other library exception ends the run with
    /// one line too: <paramref name="locate"/> (the library call alone, writing nothing) is run on the group's texts one
    /// at a time to name the line that fails; without it the error names the group's lines.
    /// </summary>
    public static void ForEachGroup(CommandIO io, ICountProgress? progress, BatchingOptions? options, Action<string[]> handle,
        Action<string[]>? locate = null)
    {
        int done = 0;
        foreach (var (lines, texts) in Read(io.Input))
        {
            if (progress is not null && options is not null) options.Progress = new GroupProgress(progress, done, texts.Length);
            try
            {
                handle(texts);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or Embeddings.Models.ModelConfigurationException)
            {
                throw ItemError(e, lines);
            }
            catch (Exception e) when (e is not (OutOfMemoryException or CliException))
            {
                // An exception the library documents for one text but does not tie to an index (a tokenizer regex that
                // times out, a runtime failure): find the line by running the group's texts one at a time.
                if (options is not null) options.Progress = null;
                throw LocateFailure(e, lines, texts, locate);
            }
            done += texts.Length;
            progress?.Report(done);
        }
    }

    private static CliException LocateFailure(Exception error, int[] lines, string[] texts, Action<string[]>? locate)
    {
        for (int i = 0; locate is not null && i < texts.Length; i++)
        {
            try
            {
                locate([texts[i]]);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return new CliException($"line {lines[i]}: {Describe(e)}");
            }
        }
        return new CliException(lines.Length == 1 ? $"line {lines[0]}: {Describe(error)}" : $"lines {lines[0]}-{lines[^1]}: {Describe(error)}");
    }

    /// <summary>A library exception as one line: its message, prefixed by its type when the type is not self-explaining.</summary>
    public static string Describe(Exception error) => error switch
    {
        ArgumentException or NotSupportedException or Embeddings.Models.ModelConfigurationException => ErrorText.OneLine(error),
        _ => $"{error.GetType().Name}: {ErrorText.OneLine(error)}",
    };

    /// <summary>Turns an item error from the library into one that names the input line.</summary>
    public static CliException ItemError(Exception error, int[] lines)
    {
        // The library's message speaks of item indexes and its own option names; say it in the tool's terms.
        if (error is InputTooLongException { TokenCount: > 0 } tooLong && tooLong.Index < lines.Length)
            return new CliException($"line {lines[tooLong.Index]}: the text is {tooLong.TokenCount} tokens long and the model accepts at most "
                + $"{tooLong.MaxTokens} (--truncate right or left cuts it to fit)");
        return new CliException(ErrorText.OneLine(error));
    }
}

/// <summary>
/// The library's progress within one group, as input lines done overall: a call's batches may count windows or
/// sequences rather than texts, so the group's share is scaled to its texts.
/// </summary>
internal sealed class GroupProgress(ICountProgress overall, int offset, int texts) : IProgress<EmbeddingProgress>
{
    public void Report(EmbeddingProgress value)
    {
        if (value.Total <= 0) return;
        overall.Report(offset + (int)((long)texts * Math.Min(value.Completed, value.Total) / value.Total));
    }
}
