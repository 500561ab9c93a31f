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
            foreach (var result in results)
            {
                writer.BeginObject();
                write(writer, result);
                writer.EndObject();
            }
        }
    }

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
