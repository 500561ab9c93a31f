using System.Text.Json.Nodes;
using Embeddings.TestModels;

namespace Embeddings.Reliability.Tests.Support;

/// <summary>
/// The bert-uncased tokenizer with a smaller vocabulary: the first ids (special tokens, single characters, the
/// most frequent words) plus every single-character continuation piece (<c>##a</c>…), renumbered densely, so any
/// word still tokenizes (into characters when needed). A masked-LM head over it is a sixth of the full one, which
/// keeps thousands of sparse calls cheap. Ids below the cut keep their values, so the special tokens stay put.
/// </summary>
internal static class ReducedBertTokenizer
{
    /// <summary>Writes the reduced tokenizer.json to <paramref name="path"/> and returns its vocabulary size.</summary>
    /// <param name="path">Where to write it.</param>
    /// <param name="keepBelow">Tokens with an id below this are kept as they are.</param>
    public static int Write(string path, int keepBelow = 4000)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(Fixtures.TokenizerDir("bert-uncased"), "tokenizer.json")))!;
        var vocabulary = root["model"]!["vocab"]!.AsObject();
        var kept = vocabulary
            .Select(entry => (Token: entry.Key, Id: entry.Value!.GetValue<int>()))
            .Where(entry => entry.Id < keepBelow || (entry.Token.StartsWith("##", StringComparison.Ordinal) && entry.Token.Length == 3))
            .OrderBy(entry => entry.Id)
            .Select(entry => entry.Token)
            .ToArray();
        var reduced = new JsonObject();
        for (int id = 0; id < kept.Length; id++) reduced[kept[id]] = id;
        root["model"]!["vocab"] = reduced;
        File.WriteAllText(path, root.ToJsonString());
        return kept.Length;
    }
}
