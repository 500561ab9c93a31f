using System.Globalization;
using System.Text.Json;
using Embeddings.Cli.Feedback;
using Embeddings.Cli.Help;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>rerank --model DIR [--raw-scores] [--top-k N]</c>: per input line <c>{"query": "...", "documents": ["...", ...]}</c>,
/// one <c>{"results": [{"index": i, "score": s}, ...]}</c> sorted by score, highest first (cross-encoders).
/// </summary>
internal static class RerankCommand
{
    public static readonly CliCommand Command = new("rerank", "score documents against a query with a cross-encoder, highest first",
        CommonOptions.ForModelCommand(
            new("--raw-scores", null, "the model's raw logits instead of its activation (sigmoid for one label)"),
            new("--top-k", "N", "keep only the N best documents")),
        "input {\"query\":\"...\",\"documents\":[\"...\",...]}  output {\"results\":[{\"index\":2,\"score\":0.93},...]}   sorted by score, highest first",
        Run);

    public static int Run(CommandLine args, CommandIO io)
    {
        var options = new RerankOptions { RawScores = args.Flag("--raw-scores"), TopK = args.PositiveInt("--top-k") };
        bool progress = args.Flag("--progress");
        var model = ModelLoader.Parse(args);
        if (args.Value("--model") is null && model.Endpoint is null)
            throw new CliException("rerank needs --model (a cross-encoder folder or Hugging Face id)", 2);
        args.RejectUnknown();
        using var reranker = model.LoadReranker();

        var writer = new JsonLineWriter(io.Output);
        ProgressDisplay.Run(progress, "rerank", io.CountRecords, bar => Rerank(io, reranker, options, writer, bar));
        return 0;
    }

    private static void Rerank(CommandIO io, Reranker reranker, RerankOptions options, JsonLineWriter writer, ICountProgress? progress)
    {
        int done = 0;
        foreach (var (line, obj) in JsonLinesReader.Read(io.Input))
        {
            string query = JsonLinesReader.String(obj, "query", line, required: true)!;
            var documents = ReadDocuments(obj, line);
            IReadOnlyList<RerankResult> results;
            try
            {
                results = reranker.Rerank(query, documents, options);
            }
            catch (Exception e) when (e is not (OutOfMemoryException or CliException))
            {
                throw new CliException($"line {line}: {TextBatches.Describe(e)}");
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
            progress?.Report(++done);
        }
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
