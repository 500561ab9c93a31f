using System.Text.Json;
using Embeddings.Benchmarks;

namespace Embeddings.Compare;

/// <summary>
/// <c>prepare</c>: writes the benchmark model folders (once) and a fixed corpus sample as JSON Lines, and prints
/// where they are. Options: --models minilm-l6,bert-base  --texts N  --out DIR (default artifacts/compare).
/// </summary>
internal static class PrepareCommand
{
    public static int Run(CommandLine options)
    {
        var models = options.String("models", "minilm-l6,bert-base").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(BenchmarkModels.Parse)
            .ToDictionary(BenchmarkModels.Name, model => BenchmarkModels.Ensure(model));
        int count = options.Int("texts", 2000);
        var output = options.String("out", Path.Combine(TestModels.Fixtures.RepositoryRoot(), "artifacts", "compare"));
        Directory.CreateDirectory(output);
        var textsPath = Path.GetFullPath(Path.Combine(output, $"texts-{count}.jsonl"));
        File.WriteAllLines(textsPath, CorpusSample.Take(count).Select(text => JsonSerializer.Serialize(new { text })));
        Console.WriteLine(JsonSerializer.Serialize(new { models, texts = textsPath }));
        return 0;
    }
}
