using System.Text.Json;
using Embeddings.TestModels.Bert;

namespace Embeddings.TestModels.Tests;

/// <summary>
/// <see cref="ReferenceBert"/> against the shared BERT fixtures: their ONNX initializers are copied into a
/// <see cref="BertWeights"/> by name, and the outputs compared with <c>refs.jsonl</c>, which an independent
/// numpy float64 forward pass produced. The references are rounded to 7 significant digits, so both
/// double-precision passes must agree to that rounding: a relative 1e-6 (plus 1e-9 for values near 0).
/// </summary>
public class FixtureBertTests
{
    private const double RelativeTolerance = 1e-6;
    private const double AbsoluteTolerance = 1e-9;

    [FixtureTheory]
    [InlineData("bert-mean-tiny")]
    [InlineData("bert-cls-tiny")]
    public void Token_states_match_the_fixture_references(string model)
    {
        var reference = new ReferenceBert(LoadWeights(model, out _));
        var lines = Distinct(Refs(model).Where(r => r.GetProperty("type").GetString() == "tokens"));
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            var expected = line.GetProperty("embeddings").EnumerateArray().Select(Doubles).ToArray();
            var actual = reference.LastHiddenState(Ids(line));
            Assert.Equal(expected.Length, actual.Length);
            for (int t = 0; t < actual.Length; t++) AssertClose(expected[t], actual[t], $"{model} {line.GetProperty("id")} token {t}");
        }
    }

    [FixtureTheory]
    [InlineData("bert-mean-tiny", true)]
    [InlineData("bert-cls-tiny", false)]
    public void Pooled_embeddings_match_the_fixture_references(string model, bool meanAndNormalize)
    {
        var reference = new ReferenceBert(LoadWeights(model, out _));
        var lines = Distinct(Refs(model).Where(r => r.GetProperty("type").GetString() == "embedding"));
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            var states = reference.LastHiddenState(Ids(line));
            double[] pooled;
            if (meanAndNormalize)
            {
                pooled = ReferenceBert.Mean(states);
                double norm = Math.Sqrt(pooled.Sum(v => v * v));
                pooled = pooled.Select(v => v / norm).ToArray();
            }
            else pooled = states[0];
            AssertClose(Doubles(line.GetProperty("embedding")), pooled, $"{model} {line.GetProperty("id")}");
        }
    }

    [FixtureFact]
    public void Splade_vectors_from_the_reference_mlm_head_match_the_fixture()
    {
        var weights = LoadWeights("splade-tiny", out bool hasMlmHead);
        Assert.True(hasMlmHead);
        var reference = new ReferenceBert(weights);
        // The MLM head costs tokens × hidden × vocab multiplications: the short inputs are enough to check it.
        var lines = Distinct(Refs("splade-tiny").Where(r => r.GetProperty("type").GetString() == "sparse" && r.GetProperty("n_tokens").GetInt32() <= 24));
        Assert.True(lines.Count >= 5, $"only {lines.Count} short SPLADE references");
        foreach (var line in lines)
        {
            var logits = reference.Logits(Ids(line));
            var dense = new double[weights.Shape.Vocab];
            foreach (var row in logits)
                for (int v = 0; v < dense.Length; v++) dense[v] = Math.Max(dense[v], Math.Log(1 + Math.Max(row[v], 0)));
            var expected = new double[dense.Length];
            var indices = line.GetProperty("indices").EnumerateArray().Select(i => i.GetInt32()).ToArray();
            var values = Doubles(line.GetProperty("values"));
            for (int i = 0; i < indices.Length; i++) expected[indices[i]] = values[i];
            AssertClose(expected, dense, $"splade-tiny {line.GetProperty("id")}");
        }
    }

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = Math.Abs(expected[i] - actual[i]);
            Assert.True(diff <= RelativeTolerance * Math.Abs(expected[i]) + AbsoluteTolerance,
                $"{what}: element {i} differs by {diff:E2} (expected {expected[i]}, got {actual[i]})");
        }
    }

    private static BertWeights LoadWeights(string model, out bool hasMlmHead)
    {
        var directory = Fixtures.ModelDir(model);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "config.json")));
        var c = config.RootElement;
        var shape = new BertShape(
            Layers: c.GetProperty("num_hidden_layers").GetInt32(),
            Hidden: c.GetProperty("hidden_size").GetInt32(),
            Heads: c.GetProperty("num_attention_heads").GetInt32(),
            Intermediate: c.GetProperty("intermediate_size").GetInt32(),
            Vocab: c.GetProperty("vocab_size").GetInt32(),
            MaxPositions: c.GetProperty("max_position_embeddings").GetInt32(),
            TypeVocab: c.GetProperty("type_vocab_size").GetInt32(),
            LayerNormEpsilon: c.GetProperty("layer_norm_eps").GetDouble());
        var graph = OnnxDecoder.Model(File.ReadAllBytes(Path.Combine(directory, "onnx", "model.onnx"))).Graph;
        var tensors = graph.Initializers.Where(t => t.DataType == 1 && t.RawData is not null).ToDictionary(t => t.Name);
        var weights = BertWeights.Generate(shape, seed: 0);
        hasMlmHead = true;
        foreach (var (name, values) in weights.Parameters())
        {
            if (!tensors.TryGetValue(name, out var tensor))
            {
                Assert.True(name.StartsWith("cls.", StringComparison.Ordinal), $"{model}: no initializer '{name}'");
                hasMlmHead = false;
                continue;
            }
            var data = tensor.Floats();
            Assert.Equal(values.Length, data.Length);
            data.CopyTo(values, 0);
        }
        return weights;
    }

    private static IEnumerable<JsonElement> Refs(string model) =>
        File.ReadLines(Path.Combine(Fixtures.ModelDir(model), "refs.jsonl"))
            .Where(line => line.Length > 0)
            .Select(line => JsonDocument.Parse(line).RootElement);

    /// <summary>One line per distinct input: the batch-mode lines repeat the single-mode ones.</summary>
    private static List<JsonElement> Distinct(IEnumerable<JsonElement> lines) =>
        lines.DistinctBy(line => string.Join(",", Ids(line))).ToList();

    private static long[] Ids(JsonElement line) => line.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt64()).ToArray();

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();
}
