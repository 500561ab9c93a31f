using Embeddings.TestModels.Bert;

namespace Embeddings.TestModels.Tests;

public class ReferenceBertTests
{
    private static readonly BertShape Small = new(Layers: 2, Hidden: 8, Heads: 2, Intermediate: 12, Vocab: 50, MaxPositions: 16, TypeVocab: 2, InitializerRange: 0.3);

    private static void Zero(LinearWeights layer)
    {
        Array.Clear(layer.Weight);
        if (layer.Bias is not null) Array.Clear(layer.Bias);
    }

    private static void Plain(NormWeights norm)
    {
        Array.Fill(norm.Scale, 1f);
        if (norm.Bias is not null) Array.Clear(norm.Bias);
    }

    private static void PlainNorms(BertWeights w)
    {
        Plain(w.EmbeddingLayerNorm);
        Plain(w.MlmLayerNorm);
        foreach (var layer in w.Layers)
        {
            Plain(layer.AttentionLayerNorm);
            Plain(layer.OutputLayerNorm);
        }
    }

    [Fact]
    public void With_every_layer_zeroed_the_output_is_the_normalized_embedding_sum()
    {
        // Word row id = [id, 0, 0, 0], no position or segment contribution: LayerNorm([a, 0, 0, 0]) for a > 0 is
        // [√3, −1/√3, −1/√3, −1/√3] (mean a/4, variance 3a²/16). Zeroed layers add nothing, and LayerNorm of an
        // already normalized vector gives it back.
        var w = BertWeights.Generate(new BertShape(2, 4, 1, 6, 10, 8, 2), 1);
        PlainNorms(w);
        Array.Clear(w.WordEmbeddings);
        for (int id = 0; id < 10; id++) w.WordEmbeddings[id * 4] = id;
        Array.Clear(w.PositionEmbeddings);
        Array.Clear(w.TokenTypeEmbeddings);
        foreach (var layer in w.Layers)
            foreach (var linear in new[] { layer.Query, layer.Key, layer.Value, layer.AttentionOutput, layer.Intermediate, layer.Output })
                Zero(linear);

        var output = new ReferenceBert(w).LastHiddenState([3, 7, 1]);

        double r3 = Math.Sqrt(3);
        foreach (var row in output)
        {
            Assert.Equal(r3, row[0], 1e-9);
            for (int i = 1; i < 4; i++) Assert.Equal(-1 / r3, row[i], 1e-9);
        }
    }

    [Fact]
    public void Attention_rows_are_probability_distributions()
    {
        var trace = new ReferenceBert(BertWeights.Generate(Small, 3)).Trace([1, 5, 9, 2, 44]);
        Assert.Equal(2, trace.Layers.Count);
        foreach (var layer in trace.Layers)
        {
            Assert.Equal(Small.Heads, layer.AttentionProbabilities.Length);
            foreach (var head in layer.AttentionProbabilities)
                foreach (var row in head)
                {
                    Assert.Equal(5, row.Length);
                    Assert.All(row, p => Assert.InRange(p, 0, 1));
                    Assert.Equal(1, row.Sum(), 1e-12);
                }
        }
    }

    [Fact]
    public void A_zero_query_projection_attends_uniformly()
    {
        var w = BertWeights.Generate(Small, 4);
        Zero(w.Layers[0].Query);
        var trace = new ReferenceBert(w).Trace([1, 5, 9, 2]);
        foreach (var head in trace.Layers[0].AttentionProbabilities)
            foreach (var row in head)
                Assert.All(row, p => Assert.Equal(0.25, p, 1e-15));
        // The second layer keeps its query projection, so its attention is not uniform.
        Assert.Contains(trace.Layers[1].AttentionProbabilities[0][0], p => Math.Abs(p - 0.25) > 1e-3);
    }

    [Fact]
    public void With_unit_layer_norms_every_token_state_has_mean_zero_and_variance_one()
    {
        var w = BertWeights.Generate(Small, 5);
        PlainNorms(w);
        var trace = new ReferenceBert(w).Trace([3, 4, 5, 6, 7, 8]);
        var states = trace.Layers.SelectMany(l => l.Output).Concat(trace.Embeddings);
        foreach (var row in states)
        {
            Assert.Equal(0, row.Average(), 1e-12);
            Assert.Equal(1, row.Average(v => v * v), 1e-9);
        }
    }

    [Fact]
    public void Attention_is_bidirectional_so_a_later_token_changes_earlier_states()
    {
        var reference = new ReferenceBert(BertWeights.Generate(Small, 6));
        var a = reference.LastHiddenState([1, 2, 3]);
        var b = reference.LastHiddenState([1, 2, 4]);
        Assert.True(a[0].Zip(b[0], (x, y) => Math.Abs(x - y)).Max() > 1e-6);
    }

    [Fact]
    public void Default_positions_and_segments_are_zero_based_counting_and_zeros()
    {
        var reference = new ReferenceBert(BertWeights.Generate(Small, 7));
        long[] ids = [4, 8, 15, 16];
        var implicitInputs = reference.LastHiddenState(ids);
        var explicitInputs = reference.LastHiddenState(ids, [0, 0, 0, 0], [0, 1, 2, 3]);
        Assert.Equal(implicitInputs, explicitInputs);
        Assert.NotEqual(implicitInputs, reference.LastHiddenState(ids, [0, 0, 1, 1]));
        Assert.NotEqual(implicitInputs, reference.LastHiddenState(ids, default, [2, 3, 4, 5]));
    }

    [Fact]
    public void Sentence_embedding_is_the_mean_of_the_token_states()
    {
        var reference = new ReferenceBert(BertWeights.Generate(Small, 8));
        long[] ids = [10, 20, 30];
        var states = reference.LastHiddenState(ids);
        var mean = reference.SentenceEmbedding(ids);
        for (int i = 0; i < Small.Hidden; i++) Assert.Equal((states[0][i] + states[1][i] + states[2][i]) / 3, mean[i], 1e-15);
    }

    [Fact]
    public void Logits_of_a_known_head_follow_the_tied_decoder()
    {
        // Transform weight 0 with bias [1, 0, 0, 0] → GELU → [0.841…, 0, 0, 0] → LayerNorm → [√3, −1/√3, −1/√3, −1/√3]
        // whatever the input; word row v = [v, 0, 0, 0], so logit v = bias[v] + √3 · v.
        var w = BertWeights.Generate(new BertShape(1, 4, 2, 8, 12, 8, 2), 9);
        Array.Clear(w.MlmTransform.Weight);
        Array.Clear(w.MlmTransform.Bias!);
        w.MlmTransform.Bias![0] = 1;
        Plain(w.MlmLayerNorm);
        Array.Clear(w.WordEmbeddings);
        for (int v = 0; v < 12; v++) w.WordEmbeddings[v * 4] = v;
        var logits = new ReferenceBert(w).Logits([3, 5]);
        Assert.Equal(2, logits.Length);
        foreach (var row in logits)
        {
            Assert.Equal(12, row.Length);
            for (int v = 0; v < 12; v++) Assert.Equal(w.MlmDecoderBias[v] + Math.Sqrt(3) * v, row[v], 1e-9);
        }
    }

    [Fact]
    public void Bad_inputs_are_rejected_naming_the_position()
    {
        var reference = new ReferenceBert(BertWeights.Generate(Small, 10));
        Assert.Throws<ArgumentException>(() => reference.LastHiddenState([]));
        var tooLarge = Assert.Throws<ArgumentOutOfRangeException>(() => reference.LastHiddenState([1, 2, 50]));
        Assert.Contains("inputIds[2] = 50", tooLarge.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => reference.LastHiddenState([1, -1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => reference.LastHiddenState([1, 2], [0, 2]));
        Assert.Throws<ArgumentException>(() => reference.LastHiddenState([1, 2], [0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => reference.LastHiddenState([1, 2], default, [0, 16]));
        Assert.Throws<ArgumentException>(() => reference.LastHiddenState(new long[17]));
    }
}
