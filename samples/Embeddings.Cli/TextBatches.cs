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
    public static void Process<TResult>(CommandIO io, Func<string[], IReadOnlyList<TResult>> run, Action<JsonLineWriter, TResult> write)
    {
        var writer = new JsonLineWriter(io.Output);
        foreach (var (lines, texts) in Read(io.Input))
        {
            IReadOnlyList<TResult> results;
            try
            {
                results = run(texts);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or Embeddings.Models.ModelConfigurationException)
            {
                throw ItemError(e, lines);
            }
            catch (Exception e) when (e is not (OutOfMemoryException or CliException))
            {
                // An exception the library documents for one text but does not tie to an index (a tokenizer regex that
                // times out, a runtime failure): find the line by running the group's texts one at a time.
                throw LocateFailure(e, lines, texts, run);
            }
            foreach (var result in results)
            {
                writer.BeginObject();
                write(writer, result);
                writer.EndObject();
            }
        }
    }

    private static CliException LocateFailure<TResult>(Exception error, int[] lines, string[] texts, Func<string[], IReadOnlyList<TResult>> run)
    {
        for (int i = 0; i < texts.Length; i++)
        {
            try
            {
                run([texts[i]]);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return new CliException($"line {lines[i]}: {Describe(e)}");
            }
        }
        return new CliException($"lines {lines[0]}-{lines[^1]}: {Describe(error)}");
    }

    /// <summary>A library exception as one line: its message, prefixed by its type when the type is not self-explaining.</summary>
    public static string Describe(Exception error) => error switch
    {
        ArgumentException or NotSupportedException or Embeddings.Models.ModelConfigurationException => error.Message,
        _ => $"{error.GetType().Name}: {error.Message}",
    };

    /// <summary>Turns an item error from the library into one that names the input line.</summary>
    public static CliException ItemError(Exception error, int[] lines)
    {
        int? index = error switch
        {
            InputTooLongException tooLong => tooLong.Index,
            _ => null,
        };
        return index is { } i && i < lines.Length
            ? new CliException($"line {lines[i]}: {error.Message}")
            : new CliException(error.Message);
    }
}
