using System.Text.Json;
using Embeddings.TestModels;

namespace Embeddings.Reliability.Tests.Support;

/// <summary>Passages from the shared corpus (read in place): short headlines, longer prose, other scripts.</summary>
internal static class CorpusTexts
{
    /// <summary>The first <paramref name="count"/> passages of a corpus file, e.g. <c>stsbenchmark.en.jsonl</c>.</summary>
    public static string[] Read(string file, int count) =>
        File.ReadLines(Path.Combine(Fixtures.CorpusDir, file))
            .Take(count)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("text").GetString()!)
            .ToArray();

    /// <summary>
    /// A mix of lengths and scripts, kept short so thousands of calls stay cheap (the masked-LM head makes every
    /// token of a sparse call cost a vocabulary-wide row): headlines, the openings of dictionary entries, and
    /// Japanese and Arabic prose.
    /// </summary>
    public static string[] Mixed() =>
    [
        .. Read("stsbenchmark.en.jsonl", 32),
        .. Read("jargon.en.jsonl", 4).Select(text => Opening(text, 400)),
        .. Read("debian-handbook.ja.jsonl", 2).Select(text => Opening(text, 120)),
        .. Read("debian-handbook.ar.jsonl", 2).Select(text => Opening(text, 200)),
    ];

    private static string Opening(string text, int characters) => text.Length <= characters ? text : text[..characters];
}
