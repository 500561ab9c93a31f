using System.Text.Json;
using Embeddings.Benchmarks;

namespace Embeddings.Compare;

/// <summary>
/// <c>sorting</c>: end-to-end texts/s with the library's length-sorted token-budget batches (one Embed call over all
/// texts) against naive input-order batches (consecutive groups of --naive texts, each embedded by its own call as
/// one batch padded to its longest member). The two alternate for --runs runs; prints one JSON object.
/// </summary>
internal static class SortingCommand
{
    public static int Run(CommandLine options)
    {
        var texts = CorpusSample.ReadFile(options.Required("texts"));
        int runs = Math.Max(1, options.Int("runs", 3));
        int naive = options.Int("naive", 32);
        using var model = LoadedModel.Open(options);
        var embedder = model.Embedder;
        var unsorted = new EmbedOptions { MaxBatchSize = naive, MaxBatchTokens = int.MaxValue };

        void Naive()
        {
            for (int start = 0; start < texts.Length; start += naive)
                embedder.Embed(texts[start..Math.Min(start + naive, texts.Length)], unsorted);
        }

        // Warm-up passes double as the padding count.
        var (sortedPadded, realTokens) = Padding(model, () => embedder.Embed(texts));
        var (naivePadded, _) = Padding(model, Naive);
        var sorted = new List<double>();
        var inOrder = new List<double>();
        for (int r = 0; r < runs; r++)
        {
            sorted.Add(Timing.Seconds(() => embedder.Embed(texts)));
            inOrder.Add(Timing.Seconds(Naive));
        }
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            texts = texts.Length,
            tokens = realTokens,
            settings = model.Describe(),
            sorted = new { seconds = sorted, texts_per_s = texts.Length / sorted.Min(), padding = (double)sortedPadded / realTokens },
            naive = new { batch = naive, seconds = inOrder, texts_per_s = texts.Length / inOrder.Min(), padding = (double)naivePadded / realTokens },
        }));
        return 0;
    }

    private static (long Padded, long Real) Padding(LoadedModel model, Action pass)
    {
        var batches = model.Recorder.Record(pass);
        return (batches.Sum(b => b.PaddedTokens), batches.Sum(b => b.RealTokens));
    }
}
