using Embeddings.Inference;
using Embeddings.TestModels;
using Embeddings.TestModels.Bert;
using Embeddings.TestModels.Decoder;

namespace Embeddings.Onnx.Tests;

/// <summary>Models written by the test-side builder, run by ONNX Runtime, against the managed reference forward pass.</summary>
public sealed class GeneratedModelTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("generated-models-");

    public void Dispose() => _dir.Delete(recursive: true);

    public static TheoryData<string> Variants => new() { "plain", "no-token-type", "sentence-embedding", "logits", "position-ids", "float16" };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Bert_outputs_match_the_reference(string variant)
    {
        var options = variant switch
        {
            "no-token-type" => new BertGraphOptions { TokenTypeIds = false },
            "sentence-embedding" => new BertGraphOptions { SentenceEmbeddingOutput = true },
            "logits" => new BertGraphOptions { HiddenStateOutput = false, LogitsOutput = true },
            "position-ids" => new BertGraphOptions { PositionIds = true },
            "float16" => new BertGraphOptions { Float16Outputs = true },
            _ => new BertGraphOptions(),
        };
        var path = Path.Combine(_dir.FullName, variant + ".onnx");
        var weights = BertModelBuilder.Write(path, BertShape.Tiny with { InitializerRange = 0.2 }, seed: 7, options);
        var reference = new ReferenceBert(weights);
        var sequences = PaddedBatch.RandomSequences([7, 3, 10, 1, 0], weights.Shape.Vocab, seed: 7);
        var types = sequences.Select(s => s.Select((_, i) => i >= s.Length / 2 ? 1L : 0L).ToArray()).ToArray();
        var batch = PaddedBatch.Create(sequences, PaddingSide.Right, tokenTypeIds: types);
        double[][] Hidden(int row) => reference.LastHiddenState(batch.Ids(row),
            options.TokenTypeIds ? batch.TypeIds(row) : default, options.PositionIds ? batch.Positions(row) : default);

        using var backend = OnnxInferenceBackend.Create(path);
        Assert.Equal(options.TokenTypeIds, backend.Signature.Has(ModelInputs.TokenTypeIds));
        var input = new InferenceBatch(batch.BatchSize, batch.SequenceLength, batch.InputIds, batch.AttentionMask,
            options.TokenTypeIds ? batch.TokenTypeIds : default, options.PositionIds ? batch.PositionIds : default);
        string name = options.LogitsOutput ? "logits" : options.SentenceEmbeddingOutput ? "sentence_embedding" : "last_hidden_state";
        using var output = backend.Run(input, name);

        Assert.True(output.Data.ToArray().All(float.IsFinite)); // padded rows too
        double tolerance = options.Float16Outputs ? 2e-2 : 1e-4;
        double diff;
        if (name == "sentence_embedding")
        {
            Assert.Equal([5L, 32], output.Shape.ToArray());
            diff = batch.MaxAbsDifferencePooled(output.Data, 32, r => ReferenceBert.Mean(Hidden(r)));
        }
        else if (name == "logits")
        {
            Assert.Equal([5L, 10, 30522], output.Shape.ToArray());
            diff = batch.MaxAbsDifference(output.Data, 30522, r => reference.LogitsFromHiddenStates(Hidden(r)));
        }
        else
        {
            Assert.Equal([5L, 10, 32], output.Shape.ToArray());
            diff = batch.MaxAbsDifference(output.Data, 32, Hidden);
        }
        Assert.True(diff <= tolerance, $"{variant}: max abs diff {diff:E2}");
    }

    [Theory]
    [InlineData(PaddingSide.Left)]
    [InlineData(PaddingSide.Right)]
    public void Decoder_states_match_the_reference_whatever_the_padding(PaddingSide side)
    {
        var path = Path.Combine(_dir.FullName, $"decoder-{side}.onnx");
        var weights = DecoderModelBuilder.Write(path, DecoderShape.Tiny with { InitializerRange = 0.2 }, seed: 8);
        var reference = new ReferenceDecoder(weights);
        var batch = PaddedBatch.Create(PaddedBatch.RandomSequences([7, 3, 10, 1, 0], weights.Shape.Vocab, seed: 8), side, padId: 151643);
        using var backend = OnnxInferenceBackend.Create(path);
        using var output = backend.Run(new InferenceBatch(batch.BatchSize, batch.SequenceLength, batch.InputIds, batch.AttentionMask), "last_hidden_state");
        Assert.Equal([5L, 10, 32], output.Shape.ToArray());
        Assert.True(output.Data.ToArray().All(float.IsFinite));
        Assert.True(batch.MaxAbsDifference(output.Data, 32, r => reference.LastHiddenState(batch.Ids(r))) <= 1e-4);
    }
}
