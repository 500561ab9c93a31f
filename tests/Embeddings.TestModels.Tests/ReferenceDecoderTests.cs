using Embeddings.TestModels.Decoder;

namespace Embeddings.TestModels.Tests;

public class ReferenceDecoderTests
{
    private static readonly DecoderShape Small = new(Layers: 2, Hidden: 16, Heads: 4, KeyValueHeads: 2, HeadSize: 6, Intermediate: 24, Vocab: 100, InitializerRange: 0.3);

    [Fact]
    public void Attention_is_causal_so_later_tokens_never_change_earlier_states()
    {
        var reference = new ReferenceDecoder(DecoderWeights.Generate(Small, 1));
        var a = reference.LastHiddenState([5, 6, 7, 8]);
        var b = reference.LastHiddenState([5, 6, 7, 9]);
        var prefix = reference.LastHiddenState([5, 6]);
        for (int t = 0; t < 3; t++) Assert.Equal(a[t], b[t]);
        Assert.Equal(prefix, a.Take(2));
        Assert.True(a[3].Zip(b[3], (x, y) => Math.Abs(x - y)).Max() > 1e-6);
    }

    [Fact]
    public void Rotary_positions_are_relative_so_shifting_them_all_changes_nothing()
    {
        var reference = new ReferenceDecoder(DecoderWeights.Generate(Small, 2));
        long[] ids = [11, 22, 33, 44, 55];
        var fromZero = reference.LastHiddenState(ids);
        var fromSeven = reference.LastHiddenState(ids, [7, 8, 9, 10, 11]);
        for (int t = 0; t < ids.Length; t++)
            for (int i = 0; i < Small.Hidden; i++) Assert.Equal(fromZero[t][i], fromSeven[t][i], 1e-12);
        // Changing the spacing does change the result: the positions are really used.
        var spread = reference.LastHiddenState(ids, [0, 2, 4, 6, 8]);
        Assert.True(fromZero[4].Zip(spread[4], (x, y) => Math.Abs(x - y)).Max() > 1e-6);
    }

    [Fact]
    public void Output_is_rms_normalized_by_the_final_norm()
    {
        var weights = DecoderWeights.Generate(Small, 3);
        Array.Fill(weights.FinalNorm.Scale, 1f);
        foreach (var row in new ReferenceDecoder(weights).LastHiddenState([1, 2, 3]))
            Assert.Equal(1, row.Average(v => v * v), 1e-5); // ε = 1e-6 pulls the mean square just below 1
    }

    [Fact]
    public void Hashed_embeddings_sum_one_row_per_table()
    {
        // With every layer's contribution zeroed, the output is RMSNorm(T0[id mod 7] + T1[id mod 11]).
        var weights = DecoderWeights.Generate(Small with { EmbeddingHashBuckets = [7, 11] }, 4);
        foreach (var layer in weights.Layers)
        {
            Array.Clear(layer.AttentionOutput.Weight);
            Array.Clear(layer.Down.Weight);
        }
        Array.Fill(weights.FinalNorm.Scale, 1f);
        const long id = 40; // rows 40 mod 7 = 5 and 40 mod 11 = 7
        var sum = Enumerable.Range(0, 16).Select(i => (double)weights.EmbeddingTables[0][5 * 16 + i] + weights.EmbeddingTables[1][7 * 16 + i]).ToArray();
        var expected = ReferenceMath.RmsNorm(sum, weights.FinalNorm.Scale, Small.RmsNormEpsilon);
        Assert.Equal(expected, new ReferenceDecoder(weights).LastHiddenState([id])[0]);
    }

    [Fact]
    public void Weights_follow_the_grouped_query_shapes()
    {
        var w = DecoderWeights.Generate(Small, 5);
        var layer = w.Layers[1];
        Assert.Equal((16, 24), (layer.Query.InputSize, layer.Query.OutputSize));
        Assert.Equal((16, 12), (layer.Key.InputSize, layer.Key.OutputSize));
        Assert.Equal((24, 16), (layer.AttentionOutput.InputSize, layer.AttentionOutput.OutputSize));
        Assert.Null(layer.Query.Bias);
        Assert.Equal(6, layer.QueryNorm.Size);
        Assert.Equal(3, w.RotaryInverseFrequencies.Length);
        Assert.Equal([1f, (float)Math.Pow(10000, -1.0 / 3), (float)Math.Pow(10000, -2.0 / 3)], w.RotaryInverseFrequencies);
        Assert.Single(w.EmbeddingTables);
        Assert.Equal(100 * 16, w.EmbeddingTables[0].Length);
        Assert.Equal("model.layers.1.mlp.down_proj.weight", w.Parameters().First(p => p.Values == layer.Down.Weight).Name);
    }

    [Theory]
    [InlineData(6, 4, 0, 6)]
    [InlineData(6, 4, 3, 6)]
    [InlineData(6, 4, 2, 5)]
    public void Invalid_shapes_are_rejected(int hidden, int heads, int keyValueHeads, int headSize)
    {
        var error = Assert.Throws<ArgumentException>(() => DecoderWeights.Generate(new DecoderShape(1, hidden, heads, keyValueHeads, headSize, 8, 10), 1));
        Assert.StartsWith("DecoderShape:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_inputs_are_rejected_naming_the_position()
    {
        var reference = new ReferenceDecoder(DecoderWeights.Generate(Small, 6));
        Assert.Throws<ArgumentException>(() => reference.LastHiddenState([]));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => reference.LastHiddenState([1, 100]));
        Assert.Contains("inputIds[1] = 100", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => reference.LastHiddenState([1, 2], [0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => reference.LastHiddenState([1, 2], [0, -1]));
    }
}
