using System.Numerics.Tensors;
using System.Text.Json;
using Embeddings.Benchmarks;
using Embeddings.Onnx;
using Embeddings.TestModels;
using Embeddings.TestModels.Bert;

namespace Embeddings.Compare.Quantization;

/// <summary>
/// <c>int8-accuracy</c>: how far dynamic int8 quantization (<see cref="DynamicQuantization"/>) moves the vectors.
/// <list type="bullet">
/// <item>On the BERT model fixtures: their weights are read from the fixture's model.onnx, the graph is rebuilt in
/// float32 (which must reproduce refs.jsonl, proving the weights were read right) and in int8, and both are
/// embedded through the library and compared with the fixture's reference vectors.</item>
/// <item>On the generated MiniLM- and base-shaped models: the float32 and int8 folders embed --texts corpus
/// passages (default 300) and are compared with each other.</item>
/// </list>
/// Reports, per model, the largest absolute difference and the smallest and mean cosine similarity.
/// </summary>
internal static class Int8AccuracyCommand
{
    private static readonly string[] FixtureModels = ["bert-mean-tiny", "bert-cls-tiny"];

    public static int Run(CommandLine options)
    {
        var output = Path.Combine(Fixtures.RepositoryRoot(), "artifacts", "int8-fixtures");
        var fixtures = FixtureModels.Select(name => CompareFixture(name, output)).ToArray();

        var texts = CorpusSample.Take(options.Int("texts", 300));
        var shaped = new[] { (BenchmarkModel.MiniLm, BenchmarkModel.MiniLmInt8), (BenchmarkModel.Base, BenchmarkModel.BaseInt8) }
            .Select(pair => CompareModels(pair.Item1, pair.Item2, texts)).ToArray();

        Console.WriteLine(JsonSerializer.Serialize(new { fixtures, shaped }));
        return 0;
    }

    private static object CompareFixture(string name, string output)
    {
        var fixture = Fixtures.ModelDir(name);
        var weights = BertWeights.Generate(BertShape.Tiny, 0);
        var stored = OnnxFloatInitializers.Read(Path.Combine(fixture, "onnx", "model.onnx"));
        foreach (var (parameter, values) in weights.Parameters())
        {
            if (!stored.TryGetValue(parameter, out var data)) continue; // the MLM head: not in an encoder export
            if (data.Length != values.Length)
                throw new InvalidDataException($"{name}: '{parameter}' has {data.Length} values; BertShape.Tiny wants {values.Length}.");
            data.CopyTo(values, 0);
        }
        var graph = BertModelBuilder.Build(weights);
        var (quantized, count) = DynamicQuantization.Quantize(graph);
        var rebuilt = CopyFolder(fixture, Path.Combine(output, name + "-fp32"));
        var int8 = CopyFolder(fixture, Path.Combine(output, name + "-int8"));
        graph.Save(Path.Combine(rebuilt, "onnx", "model.onnx"));
        quantized.Save(Path.Combine(int8, "onnx", "model.onnx"));

        var references = File.ReadLines(Path.Combine(fixture, "refs.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.GetProperty("type").GetString() == "embedding" && e.GetProperty("mode").GetString() == "single")
            .ToArray();
        var expected = references.Select(e => e.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        return new
        {
            model = name,
            matmuls_quantized = count,
            texts = references.Length,
            fp32_rebuilt = Score(Embed(rebuilt, references), expected),
            int8 = Score(Embed(int8, references), expected),
        };
    }

    private static float[][] Embed(string folder, JsonElement[] references)
    {
        using var embedder = OnnxEmbedder.Create(folder);
        return references.Select(e =>
        {
            var prompt = e.TryGetProperty("prompt_name", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            return embedder.Embed([e.GetProperty("text").GetString()!], new EmbedOptions { PromptName = prompt }).ToArray(0);
        }).ToArray();
    }

    private static object CompareModels(BenchmarkModel fp32, BenchmarkModel int8, string[] texts)
    {
        float[][] Vectors(BenchmarkModel model)
        {
            using var embedder = OnnxEmbedder.Create(BenchmarkModels.Ensure(model));
            var result = embedder.Embed(texts);
            return Enumerable.Range(0, result.Count).Select(result.ToArray).ToArray();
        }
        return new { model = BenchmarkModels.Name(int8), texts = texts.Length, against = BenchmarkModels.Name(fp32), score = Score(Vectors(int8), Vectors(fp32)) };
    }

    private static object Score(float[][] actual, float[][] expected)
    {
        double maxAbs = 0;
        var cosines = new double[actual.Length];
        for (int i = 0; i < actual.Length; i++)
        {
            for (int j = 0; j < actual[i].Length; j++) maxAbs = Math.Max(maxAbs, Math.Abs(actual[i][j] - expected[i][j]));
            cosines[i] = TensorPrimitives.CosineSimilarity(actual[i], expected[i]);
        }
        return new { max_abs_diff = maxAbs, min_cosine = cosines.Min(), mean_cosine = cosines.Average() };
    }

    private static string CopyFolder(string source, string target)
    {
        if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.StartsWith("onnx", StringComparison.Ordinal) || relative == "refs.jsonl") continue;
            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        Directory.CreateDirectory(Path.Combine(target, "onnx"));
        return target;
    }
}
