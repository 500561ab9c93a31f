using Embeddings.Inference;
using Embeddings.Onnx.Tests.Support;
using Embeddings.TestModels;

namespace Embeddings.Onnx.Tests;

/// <summary>The backend on the shared model fixtures, checked against their reference outputs.</summary>
public sealed class FixtureModelTests
{
    private const ModelInputs Bert = ModelInputs.InputIds | ModelInputs.AttentionMask | ModelInputs.TokenTypeIds;
    private const ModelInputs IdsAndMask = ModelInputs.InputIds | ModelInputs.AttentionMask;

    [FixtureTheory]
    [InlineData("bert-mean-tiny", Bert, "last_hidden_state", ModelOutputKind.TokenEmbeddings, 32)]
    [InlineData("bert-cls-tiny", Bert, "last_hidden_state", ModelOutputKind.TokenEmbeddings, 32)]
    [InlineData("roberta-mean-tiny", IdsAndMask, "last_hidden_state", ModelOutputKind.TokenEmbeddings, 32)]
    [InlineData("splade-tiny", Bert, "logits", ModelOutputKind.Logits, 30522)]
    [InlineData("decoder-last-tiny", IdsAndMask, "last_hidden_state", ModelOutputKind.TokenEmbeddings, 32)]
    public void Every_fixture_loads_with_the_signature_it_declares(string model, ModelInputs inputs, string output, ModelOutputKind kind, int width)
    {
        using var backend = OnnxInferenceBackend.Create(ReferenceRecords.ModelFile(model));

        Assert.Equal(inputs, backend.Signature.Inputs);
        var only = Assert.Single(backend.Signature.Outputs);
        Assert.Equal(output, only.Name);
        Assert.Equal(kind, only.Kind);
        Assert.Equal([-1L, -1L, width], only.Shape);
        Assert.Equal(width, only.Width);
    }

    [FixtureFact]
    public void Output_is_batch_by_sequence_by_hidden_and_finite()
    {
        using var backend = OnnxInferenceBackend.Create(ReferenceRecords.ModelFile("bert-mean-tiny"));
        var batch = Batches.Padded([[101, 7592, 102], [101, 7592, 2088, 999, 102], [101, 102]], padLeft: false, padId: 0);

        using var output = backend.Run(batch, "last_hidden_state");

        Assert.Equal([3L, 5L, 32L], output.Shape.ToArray());
        Assert.Equal(3 * 5 * 32, output.Data.Length);
        foreach (var value in output.Data) Assert.True(float.IsFinite(value), $"non-finite value {value}");
    }

    [FixtureFact]
    public void Two_runs_of_the_same_batch_are_bitwise_equal()
    {
        using var backend = OnnxInferenceBackend.Create(ReferenceRecords.ModelFile("bert-mean-tiny"));
        var batch = Batches.Padded(ReferenceRecords.Tokens("bert-mean-tiny").Select(r => r.InputIds).ToArray(), padLeft: false, padId: 0);

        float[] first;
        using (var output = backend.Run(batch, "last_hidden_state")) first = output.Data.ToArray();
        using var second = backend.Run(batch, "last_hidden_state");

        Assert.True(first.AsSpan().SequenceEqual(second.Data), "The second run differs from the first.");
    }

    [FixtureTheory]
    [InlineData("bert-mean-tiny")]
    [InlineData("bert-cls-tiny")]
    [InlineData("roberta-mean-tiny")]
    [InlineData("decoder-last-tiny")]
    public void Hidden_states_match_the_reference_forward_pass(string model)
    {
        var records = ReferenceRecords.Tokens(model);
        Assert.NotEmpty(records);
        using var backend = OnnxInferenceBackend.Create(ReferenceRecords.ModelFile(model));

        foreach (var record in records)
        {
            using var output = backend.Run(Batches.Single(record.InputIds), "last_hidden_state");
            Assert.Equal([1L, record.InputIds.Length, 32L], output.Shape.ToArray());
            var expected = record.States.SelectMany(state => state).ToArray();
            float diff = Batches.MaxAbsDiff(expected, output.Data);
            Assert.True(diff <= 1e-4f, $"{model} {record.Id}: max abs difference {diff} from the reference");
        }
    }

    [FixtureTheory]
    [InlineData("bert-mean-tiny", false, 0L)]
    [InlineData("roberta-mean-tiny", false, 1L)]
    [InlineData("decoder-last-tiny", true, 151643L)]
    public void A_row_padded_inside_a_batch_equals_the_same_row_alone(string model, bool padLeft, long padId)
    {
        var sequences = ReferenceRecords.Tokens(model).Select(r => r.InputIds).ToArray();
        int longest = sequences.Max(s => s.Length);
        Assert.Contains(sequences, s => s.Length < longest);
        using var backend = OnnxInferenceBackend.Create(ReferenceRecords.ModelFile(model));

        using var batched = backend.Run(Batches.Padded(sequences, padLeft, padId), "last_hidden_state");

        for (int row = 0; row < sequences.Length; row++)
        {
            int length = sequences[row].Length;
            using var alone = backend.Run(Batches.Single(sequences[row]), "last_hidden_state");
            int firstReal = padLeft ? longest - length : 0;
            var inBatch = batched.Data.Slice((row * longest + firstReal) * 32, length * 32);
            float diff = Batches.MaxAbsDiff(alone.Data, inBatch);
            Assert.True(diff <= 1e-5f, $"{model} row {row}: max abs difference {diff} between batched and alone");
        }
    }

    [FixtureFact]
    public void Splade_logits_give_the_reference_sparse_vectors()
    {
        const int vocabulary = 30522;
        var records = ReferenceRecords.Sparse("splade-tiny").Take(8).ToArray();
        Assert.NotEmpty(records);
        using var backend = OnnxInferenceBackend.Create(ReferenceRecords.ModelFile("splade-tiny"));

        foreach (var record in records)
        {
            using var output = backend.Run(Batches.Single(record.InputIds), "logits");
            Assert.Equal([1L, record.InputIds.Length, (long)vocabulary], output.Shape.ToArray());
            // SPLADE: max over tokens of log(1 + relu(logit)).
            var actual = new float[vocabulary];
            for (int t = 0; t < record.InputIds.Length; t++)
                for (int v = 0; v < vocabulary; v++)
                    actual[v] = Math.Max(actual[v], MathF.Log(1 + Math.Max(0, output.Data[t * vocabulary + v])));
            var expected = new float[vocabulary];
            for (int i = 0; i < record.Indices.Length; i++) expected[record.Indices[i]] = record.Values[i];
            float diff = Batches.MaxAbsDiff(expected, actual);
            Assert.True(diff <= 1e-4f, $"splade-tiny {record.Id}: max abs difference {diff} from the reference");
        }
    }

    [FixtureFact]
    public void Token_type_ids_from_the_caller_are_fed_and_default_to_zeros()
    {
        using var backend = OnnxInferenceBackend.Create(ReferenceRecords.ModelFile("bert-mean-tiny"));
        long[] ids = [101, 7592, 102, 2088, 102];
        long[] mask = [1, 1, 1, 1, 1];

        using var implicitZeros = backend.Run(new InferenceBatch(1, 5, ids, mask), "last_hidden_state");
        using var explicitZeros = backend.Run(new InferenceBatch(1, 5, ids, mask, new long[5]), "last_hidden_state");
        using var pair = backend.Run(new InferenceBatch(1, 5, ids, mask, new long[] { 0, 0, 0, 1, 1 }), "last_hidden_state");

        Assert.True(implicitZeros.Data.SequenceEqual(explicitZeros.Data), "Omitted token_type_ids must behave as zeros.");
        Assert.False(implicitZeros.Data.SequenceEqual(pair.Data), "Segment ids given by the caller must reach the model.");
    }

    [FixtureFact]
    public void Inputs_are_read_in_place_from_a_slice_of_a_larger_buffer()
    {
        using var backend = OnnxInferenceBackend.Create(ReferenceRecords.ModelFile("bert-mean-tiny"));
        long[] ids = [101, 7592, 2088, 102];
        long[] mask = [1, 1, 1, 1];
        // The same values at an offset inside bigger arrays, surrounded by junk the backend must not read.
        var bigIds = Enumerable.Repeat(999L, 11).ToArray();
        var bigMask = Enumerable.Repeat(7L, 11).ToArray();
        ids.CopyTo(bigIds, 3);
        mask.CopyTo(bigMask, 3);

        using var contiguous = backend.Run(new InferenceBatch(1, 4, ids, mask), "last_hidden_state");
        using var sliced = backend.Run(new InferenceBatch(1, 4, bigIds.AsMemory(3), bigMask.AsMemory(3)), "last_hidden_state");

        Assert.True(contiguous.Data.SequenceEqual(sliced.Data), "A batch over a slice must give the same output as one over its own arrays.");
    }

    [FixtureFact]
    public void Asking_for_an_output_the_model_lacks_names_the_ones_it_has()
    {
        using var backend = OnnxInferenceBackend.Create(ReferenceRecords.ModelFile("bert-mean-tiny"));

        var error = Assert.Throws<ArgumentException>(() => backend.Run(Batches.Single([101, 102]), "sentence_embedding"));

        Assert.Contains("sentence_embedding", error.Message, StringComparison.Ordinal);
        Assert.Contains("last_hidden_state", error.Message, StringComparison.Ordinal);
    }
}
