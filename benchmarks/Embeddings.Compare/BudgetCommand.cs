using System.Text.Json;
using Embeddings.Benchmarks;

namespace Embeddings.Compare;

/// <summary>
/// <c>budgets</c>: end-to-end texts/s of one Embed call over a text file for several token budgets
/// (--budgets 2048,4096,8192,16384), alternating the budgets within each of --runs runs in one process, so that
/// load on the machine affects them alike. Reports each budget's best pass, its batches and its padding ratio.
/// Peak memory per budget needs one process each: see <c>corpus-memory --budget</c>.
/// </summary>
internal static class BudgetCommand
{
    public static int Run(CommandLine options)
    {
        var texts = CorpusSample.ReadFile(options.Required("texts"));
        int runs = Math.Max(1, options.Int("runs", 3));
        var budgets = options.String("budgets", "2048,4096,8192,16384").Split(',').Select(int.Parse).ToArray();
        using var model = LoadedModel.Open(options);
        var embedder = model.Embedder;
        var calls = budgets.Select(b => new EmbedOptions { MaxBatchTokens = b }).ToArray();

        var shapes = new List<object>();
        foreach (var call in calls)
        {
            var (result, batches) = model.Recorder.Record(() => embedder.Embed(texts, call)); // warm-up, and the batches this budget makes
            shapes.Add(new { batches = batches.Length, padding = (double)batches.Sum(b => b.PaddedTokens) / result.TotalTokens });
        }
        var seconds = budgets.Select(_ => new List<double>()).ToArray();
        for (int r = 0; r < runs; r++)
            for (int i = 0; i < calls.Length; i++)
                seconds[i].Add(Timing.Seconds(() => embedder.Embed(texts, calls[i])));
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            texts = texts.Length,
            settings = model.Describe(),
            budgets = budgets.Select((b, i) => new { budget = b, seconds = seconds[i], texts_per_s = texts.Length / seconds[i].Min(), shape = shapes[i] }),
        }));
        return 0;
    }
}
