using System.Text.Json;
using Embeddings.TestModels.Decoder;

namespace Embeddings.TestModels.Tests;

/// <summary>
/// <see cref="ReferenceDecoder"/> against the decoder-last-tiny fixture: its ONNX initializers copied into a
/// <see cref="DecoderWeights"/> by name, outputs compared with the independent float64 references (rounded
/// to 7 significant digits) in <c>refs.jsonl</c>.
/// </summary>
public class FixtureDecoderTests
{
    private const string Model = "decoder-last-tiny";

    [FixtureFact]
    public void Token_states_match_the_fixture_references()
    {
        var reference = new ReferenceDecoder(LoadWeights());
        var lines = FixtureRefs.Lines(Model, "tokens");
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            var expected = line.GetProperty("embeddings").EnumerateArray().Select(FixtureRefs.Doubles).ToArray();
            var actual = reference.LastHiddenState(FixtureRefs.Ids(line));
            Assert.Equal(expected.Length, actual.Length);
            for (int t = 0; t < actual.Length; t++) FixtureRefs.AssertClose(expected[t], actual[t], $"{line.GetProperty("id")} token {t}");
        }
    }

    [FixtureFact]
    public void Last_token_embeddings_match_the_fixture_references()
    {
        var reference = new ReferenceDecoder(LoadWeights());
        var lines = FixtureRefs.Lines(Model, "embedding").Where(l => l.GetProperty("embedding").ValueKind == JsonValueKind.Array).ToList();
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            var last = reference.LastHiddenState(FixtureRefs.Ids(line))[^1];
            double norm = Math.Sqrt(last.Sum(v => v * v));
            FixtureRefs.AssertClose(FixtureRefs.Doubles(line.GetProperty("embedding")), last.Select(v => v / norm).ToArray(), $"{line.GetProperty("id")}");
        }
    }

    private static DecoderWeights LoadWeights()
    {
        var c = FixtureRefs.Config(Model);
        var shape = new DecoderShape(
            Layers: c.GetProperty("num_hidden_layers").GetInt32(),
            Hidden: c.GetProperty("hidden_size").GetInt32(),
            Heads: c.GetProperty("num_attention_heads").GetInt32(),
            KeyValueHeads: c.GetProperty("num_key_value_heads").GetInt32(),
            HeadSize: c.GetProperty("head_dim").GetInt32(),
            Intermediate: c.GetProperty("intermediate_size").GetInt32(),
            Vocab: c.GetProperty("vocab_size").GetInt32(),
            MaxPositions: c.GetProperty("max_position_embeddings").GetInt32(),
            RopeTheta: c.GetProperty("rope_theta").GetDouble(),
            RmsNormEpsilon: c.GetProperty("rms_norm_eps").GetDouble())
        {
            EmbeddingHashBuckets = c.GetProperty("embedding_hash_buckets").EnumerateArray().Select(b => b.GetInt32()).ToArray(),
        };
        var weights = DecoderWeights.Generate(shape, seed: 0);
        FixtureRefs.CopyInitializers(Model, weights.Parameters(), optional: _ => false);
        return weights;
    }
}
