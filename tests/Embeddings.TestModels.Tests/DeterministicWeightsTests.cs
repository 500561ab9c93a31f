using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Embeddings.TestModels.Bert;

namespace Embeddings.TestModels.Tests;

public class DeterministicWeightsTests
{
    [Fact]
    public void Values_are_pinned_so_they_never_depend_on_the_runtime()
    {
        // SplitMix64 from FNV-1a("embeddings.word_embeddings.weight") ^ Mix(1), four uniforms per value,
        // (sum - 2) * sqrt(3) * 0.02, rounded to float. Checked against an independent implementation.
        var random = new DeterministicWeights(1);
        Assert.Equal(0x559A71C4B1EF8295UL, random.StreamSeed("embeddings.word_embeddings.weight"));
        Assert.Equal([0.011928182f, -0.003382305f, 0.014356006f, -0.0077753724f],
            random.Normal("embeddings.word_embeddings.weight", 4, 0.02));
    }

    [Fact]
    public void The_tiny_word_embedding_table_is_pinned_by_hash()
    {
        var weights = BertWeights.Generate(BertShape.Tiny, 1);
        var hash = Convert.ToHexString(SHA256.HashData(MemoryMarshal.AsBytes(weights.WordEmbeddings.AsSpan())));
        Assert.Equal("42696E3D9991FDC18DECECDAE98A72269184E6069C4821735A100122BEDCB6FD", hash);
    }

    [Fact]
    public void Same_seed_and_name_give_the_same_values_and_anything_else_differs()
    {
        var a = new DeterministicWeights(7).Normal("t", 1000, 1);
        Assert.Equal(a, new DeterministicWeights(7).Normal("t", 1000, 1));
        Assert.NotEqual(a, new DeterministicWeights(8).Normal("t", 1000, 1));
        Assert.NotEqual(a, new DeterministicWeights(7).Normal("u", 1000, 1));
    }

    [Fact]
    public void A_longer_draw_starts_with_the_shorter_one()
    {
        var random = new DeterministicWeights(3);
        Assert.Equal(random.Normal("t", 10, 1), random.Normal("t", 100, 1).Take(10));
    }

    [Fact]
    public void Values_have_the_requested_mean_and_spread_and_are_bounded()
    {
        const int n = 200_000;
        const double std = 0.5, mean = 1.0;
        var values = new DeterministicWeights(11).Normal("stats", n, std, mean);
        double average = values.Average(v => (double)v);
        double spread = Math.Sqrt(values.Average(v => (v - average) * (v - average)));
        Assert.InRange(average, mean - 4 * std / Math.Sqrt(n), mean + 4 * std / Math.Sqrt(n));
        Assert.InRange(spread, std * 0.99, std * 1.01);
        double bound = 2 * Math.Sqrt(3) * std + 1e-6;
        Assert.All(values, v => Assert.InRange(v, mean - bound, mean + bound));
        // Bell-shaped, not uniform: about 68% within one standard deviation (a uniform would give 58%).
        double withinOne = values.Count(v => Math.Abs(v - mean) < std) / (double)n;
        Assert.InRange(withinOne, 0.65, 0.72);
    }

    [Fact]
    public void Each_tensor_has_its_own_stream_so_adding_layers_changes_nothing_else()
    {
        var small = BertWeights.Generate(BertShape.Tiny with { Layers = 1, Vocab = 50 }, 5);
        var large = BertWeights.Generate(BertShape.Tiny with { Layers = 3, Vocab = 50 }, 5);
        Assert.Equal(small.WordEmbeddings, large.WordEmbeddings);
        Assert.Equal(small.Layers[0].Query.Weight, large.Layers[0].Query.Weight);
        Assert.Equal(small.Layers[0].OutputLayerNorm.Scale, large.Layers[0].OutputLayerNorm.Scale);
        Assert.Equal(small.MlmDecoderBias, large.MlmDecoderBias);
        Assert.NotEqual(large.Layers[1].Query.Weight, large.Layers[2].Query.Weight);
    }

    [Fact]
    public void Bert_weights_have_the_shapes_and_spreads_of_the_config()
    {
        var shape = new BertShape(Layers: 2, Hidden: 16, Heads: 4, Intermediate: 24, Vocab: 40, MaxPositions: 20, TypeVocab: 3, InitializerRange: 0.1);
        var w = BertWeights.Generate(shape, 2);
        Assert.Equal(40 * 16, w.WordEmbeddings.Length);
        Assert.Equal(20 * 16, w.PositionEmbeddings.Length);
        Assert.Equal(3 * 16, w.TokenTypeEmbeddings.Length);
        Assert.Equal(2, w.Layers.Count);
        Assert.Equal((16, 24), (w.Layers[1].Intermediate.InputSize, w.Layers[1].Intermediate.OutputSize));
        Assert.Equal(24 * 16, w.Layers[1].Output.Weight.Length);
        Assert.Equal(40, w.MlmDecoderBias.Length);
        // LayerNorm scales sit around 1, everything else around 0, all within the bounded spread.
        Assert.All(w.EmbeddingLayerNorm.Scale, v => Assert.InRange(v, 1 - 0.35, 1 + 0.35));
        Assert.All(w.Layers[0].Query.Bias!, v => Assert.InRange(v, -0.35, 0.35));
        Assert.Equal("encoder.layer.1.attention.self.key", w.Layers[1].Key.Name);
    }

    [Theory]
    [InlineData(0, 32, 4, 64, 10)]
    [InlineData(2, 30, 4, 64, 10)]
    [InlineData(2, 32, 4, 0, 10)]
    [InlineData(2, 32, 4, 64, -1)]
    public void Invalid_shapes_are_rejected_with_the_field_named(int layers, int hidden, int heads, int intermediate, int vocab)
    {
        var error = Assert.Throws<ArgumentException>(() => BertWeights.Generate(new BertShape(layers, hidden, heads, intermediate, vocab), 1));
        Assert.StartsWith("BertShape:", error.Message, StringComparison.Ordinal);
    }
}
