using System.Text.Json;
using Embeddings.TestModels;

namespace Embeddings.Benchmarks;

/// <summary>
/// Fixed samples of the shared corpus (read in place): every file in name order, passages in file order, and
/// from that sequence of 31,352 passages an evenly spaced selection. The mix of languages and lengths
/// follows the corpus, the order is the corpus order (so input-order batches see realistic neighbours), and
/// the same count always gives the same texts.
/// </summary>
public static class CorpusSample
{
    private static readonly Lazy<string[]> All = new(ReadAll);

    /// <summary>Every passage of the corpus, files in name order.</summary>
    public static IReadOnlyList<string> Everything => All.Value;

    /// <summary><paramref name="count"/> evenly spaced passages (all of them when count is larger).</summary>
    public static string[] Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var all = All.Value;
        if (count >= all.Length) return all.ToArray();
        var sample = new string[count];
        for (int i = 0; i < count; i++) sample[i] = all[(int)((long)i * all.Length / count)];
        return sample;
    }

    /// <summary>The passages of one corpus file, e.g. <c>debian-handbook.en.jsonl</c>.</summary>
    public static string[] File(string name) => ReadFile(Path.Combine(Fixtures.CorpusDir, name));

    /// <summary>Reads a JSON Lines file of <c>{"text": ...}</c> objects.</summary>
    public static string[] ReadFile(string path) => System.IO.File.ReadLines(path).Where(line => line.Length > 0)
        .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("text").GetString()
            ?? throw new InvalidDataException($"{path}: a line has a null text."))
        .ToArray();

    private static string[] ReadAll() => Directory.GetFiles(Fixtures.CorpusDir, "*.jsonl")
        .Order(StringComparer.Ordinal)
        .SelectMany(ReadFile)
        .ToArray();
}
