using Embeddings.TestModels.Bert;
using static Embeddings.TestModels.Tests.FixtureRefs;

namespace Embeddings.TestModels.Tests;

/// <summary>
/// <see cref="ReferenceBert"/> against the shared BERT fixtures: their ONNX initializers are copied into a
/// <see cref="BertWeights"/> by name, and the outputs compared with <c>refs.jsonl</c>, which an independent
/// numpy float64 forward pass produced.
/// </summary>
public class FixtureBertTests
{
    [FixtureTheory]
    [InlineData("bert-mean-tiny")]
    [InlineData("bert-cls-tiny")]
    public void Token_states_match_the_fixture_references(string model)
    {
        var reference = new ReferenceBert(LoadWeights(model, out _));
        var lines = Lines(model, "tokens");
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
        var lines = Lines(model, "embedding");
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
        var lines = Lines("splade-tiny", "sparse").Where(l => l.GetProperty("n_tokens").GetInt32() <= 24).ToList();
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

    private static BertWeights LoadWeights(string model, out bool hasMlmHead)
    {
        var c = Config(model);
        var shape = new BertShape(
            Layers: c.GetProperty("num_hidden_layers").GetInt32(),
            Hidden: c.GetProperty("hidden_size").GetInt32(),
            Heads: c.GetProperty("num_attention_heads").GetInt32(),
            Intermediate: c.GetProperty("intermediate_size").GetInt32(),
            Vocab: c.GetProperty("vocab_size").GetInt32(),
            MaxPositions: c.GetProperty("max_position_embeddings").GetInt32(),
            TypeVocab: c.GetProperty("type_vocab_size").GetInt32(),
            LayerNormEpsilon: c.GetProperty("layer_norm_eps").GetDouble());
        var weights = BertWeights.Generate(shape, seed: 0);
        // Encoder-only fixtures have no MLM head; every other parameter must be in the file.
        var missing = CopyInitializers(model, weights.Parameters(), optional: name => name.StartsWith("cls.", StringComparison.Ordinal));
        hasMlmHead = missing.Count == 0;
        return weights;
    }
}
