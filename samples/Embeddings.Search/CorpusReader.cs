using System.Text.Json;

namespace Embeddings.Search;

/// <summary>
/// Reads passages from a file or every matching file under a folder: JSON Lines (<c>{"text": ...}</c> per line,
/// the shared corpus format) or plain text and Markdown split into paragraphs at blank lines.
/// </summary>
internal static class CorpusReader
{
    private static readonly string[] Extensions = [".jsonl", ".txt", ".md"];

    /// <summary>The passages, in file-name order, at most <paramref name="limit"/> of them.</summary>
    /// <exception cref="FileNotFoundException">The path does not exist.</exception>
    /// <exception cref="InvalidDataException">A JSON Lines file has a line that is not a text record (the message names file and line).</exception>
    public static List<Passage> Read(string path, int? limit)
    {
        IEnumerable<string> files = File.Exists(path) ? [path]
            : Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
            : throw new FileNotFoundException($"The corpus \"{path}\" is neither a file nor a folder.", path);
        string root = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
        var passages = files.SelectMany(file => FromFile(file, Path.GetRelativePath(root, file)));
        return (limit is { } n ? passages.Take(n) : passages).ToList();
    }

    private static IEnumerable<Passage> FromFile(string file, string source) =>
        Path.GetExtension(file).Equals(".jsonl", StringComparison.OrdinalIgnoreCase) ? FromJsonLines(file, source) : FromParagraphs(file, source);

    private static IEnumerable<Passage> FromJsonLines(string file, string source)
    {
        int lineNumber = 0;
        foreach (string line in File.ReadLines(file))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            string? text;
            try
            {
                using var record = JsonDocument.Parse(line);
                text = record.RootElement.ValueKind == JsonValueKind.Object && record.RootElement.TryGetProperty("text", out var value)
                    && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{file}, line {lineNumber}: not JSON ({e.Message}).", e);
            }
            if (text is null) throw new InvalidDataException($"{file}, line {lineNumber}: expected an object with a \"text\" string.");
            if (text.Trim().Length > 0) yield return new Passage(source, lineNumber, text);
        }
    }

    private static IEnumerable<Passage> FromParagraphs(string file, string source)
    {
        var paragraph = new List<string>();
        int number = 0;
        foreach (string line in File.ReadLines(file).Append(""))
        {
            if (line.Trim().Length > 0)
            {
                paragraph.Add(line.Trim());
                continue;
            }
            if (paragraph.Count == 0) continue;
            yield return new Passage(source, ++number, string.Join(' ', paragraph));
            paragraph.Clear();
        }
    }
}
