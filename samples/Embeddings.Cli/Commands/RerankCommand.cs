using System.Globalization;
using System.Text.Json;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>rerank --model DIR [--raw-scores] [--top-k N]</c>: per input line <c>{"query": "...", "documents": ["...", ...]}</c>,
/// one <c>{"results": [{"index": i, "score": s}, ...]}</c> sorted by score, highest first (cross-encoders).
/// </summary>
internal static class RerankCommand
{
    public static int Run(CommandLine args, CommandIO io)
    {
        var options = new RerankOptions { RawScores = args.Flag("--raw-scores"), TopK = args.PositiveInt("--top-k") };
        using var reranker = RerankerLoader.Load(args);
        args.RejectUnknown();

        var writer = new JsonLineWriter(io.Output);
        foreach (var (line, obj) in JsonLinesReader.Read(io.Input))
        {
            string query = JsonLinesReader.String(obj, "query", line, required: true)!;
            var documents = ReadDocuments(obj, line);
            IReadOnlyList<RerankResult> results;
            try
            {
                results = reranker.Rerank(query, documents, options);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or Embeddings.Models.ModelConfigurationException)
            {
                throw new CliException($"line {line}: {e.Message}");
            }
            writer.BeginObject();
            writer.BeginObjectArray("results");
            foreach (var result in results)
            {
                writer.BeginItem();
                writer.Int("index", result.Index);
                writer.Float("score", result.Score);
                writer.EndItem();
            }
            writer.EndObjectArray();
            writer.EndObject();
        }
        return 0;
    }

    private static string[] ReadDocuments(JsonElement obj, int line)
    {
        if (!obj.TryGetProperty("documents", out var value) || value.ValueKind != JsonValueKind.Array)
            throw new CliException($"line {line}: \"documents\" must be an array of strings");
        var documents = new string[value.GetArrayLength()];
        int i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                throw new CliException(string.Create(CultureInfo.InvariantCulture, $"line {line}: documents[{i}] must be a string"));
            documents[i++] = JsonLinesReader.StringItem(item, line);
        }
        return documents;
    }
}
