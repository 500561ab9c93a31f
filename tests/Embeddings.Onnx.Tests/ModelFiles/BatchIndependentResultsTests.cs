using Embeddings.Inference;
using Embeddings.Models;
using Embeddings.TestModels;

namespace Embeddings.Onnx.Tests.ModelFiles;

/// <summary>
/// A backend that declares its results batch-dependent gets one sequence per run when the caller asks for
/// batch-independent results, so every text's vector (every pair's score) equals the one it gets alone.
/// </summary>
public sealed class BatchIndependentResultsTests
{
    private static readonly string[] Texts = ["one", "two words", "three words here", "a somewhat longer fourth text to embed"];

    [FixtureTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void Embeddings_of_a_batch_dependent_model_match_the_solo_ones_only_when_asked(bool batchIndependent)
    {
        using var embedder = Create(Fixtures.ModelDir("bert-mean-tiny"), batchIndependent,
            (folder, tokenizer, backend, options) => Embedder.Create(folder, tokenizer, backend, options));
        Assert.True(embedder.Info.BatchDependent);

        var together = embedder.Embed(Texts, new EmbedOptions { MaxBatchSize = 64 });
        bool allIdentical = true;
        for (int i = 0; i < Texts.Length; i++)
            allIdentical &= together[i].ToArray().AsSpan().SequenceEqual(embedder.Embed([Texts[i]])[0].ToArray());
        Assert.Equal(batchIndependent, allIdentical);
    }

    [FixtureTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void Scores_of_a_batch_dependent_reranker_match_the_solo_ones_only_when_asked(bool batchIndependent)
    {
        using var reranker = Create(Fixtures.ModelDir("cross-encoder-tiny"), batchIndependent,
            (folder, tokenizer, backend, options) => Reranker.Create(folder, tokenizer, backend, options));
        Assert.True(reranker.Info.BatchDependent);

        var raw = new RerankOptions { RawScores = true };
        var together = reranker.Rerank("which text is longest", Texts, raw).OrderBy(r => r.Index).ToArray();
        bool allIdentical = true;
        for (int i = 0; i < Texts.Length; i++)
            allIdentical &= together[i].Score == reranker.Rerank("which text is longest", [Texts[i]], raw)[0].Score;
        Assert.Equal(batchIndependent, allIdentical);
    }

    private static T Create<T>(string directory, bool batchIndependent, Func<ModelFolder, Tokenization.Tokenizer, IInferenceBackend, EmbedderOptions, T> create)
    {
        var folder = ModelFolder.Open(directory);
        var backend = new BatchShiftedBackend(OnnxInferenceBackend.Create(OnnxModelFile.Find(folder)));
        return create(folder, OnnxEmbedder.LoadTokenizer(folder), backend, new EmbedderOptions { BatchIndependentResults = batchIndependent });
    }

    /// <summary>Shifts every output value by an amount that grows with the batch size, as per-batch activation
    /// scales move a dynamically quantized model's outputs, and says so in its signature.</summary>
    private sealed class BatchShiftedBackend(OnnxInferenceBackend inner) : IInferenceBackend
    {
        public ModelSignature Signature { get; } = inner.Signature with { BatchDependent = true };

        public InferenceOutput Run(InferenceBatch batch, string outputName, CancellationToken cancellationToken = default)
        {
            using var output = inner.Run(batch, outputName, cancellationToken);
            var data = output.Data.ToArray();
            float shift = 0.01f * (batch.BatchSize - 1);
            for (int i = 0; i < data.Length; i++) data[i] += shift * (1 + i % 7);
            return new ArrayOutput(output.Shape.ToArray(), data);
        }

        public void Dispose() => inner.Dispose();
    }

    private sealed class ArrayOutput(long[] shape, float[] data) : InferenceOutput
    {
        public override ReadOnlySpan<long> Shape => shape;

        public override ReadOnlySpan<float> Data => data;
    }
}
