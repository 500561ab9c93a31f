using System.Numerics.Tensors;
using Embeddings.Onnx;
using Embeddings.TestModels;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Embeddings;

namespace Embeddings.SemanticKernel.Tests;

/// <summary>A kernel function that finds the closest note through the kernel's embedding service.</summary>
public sealed class KernelFunctionTests
{
    private static readonly string[] Notes =
    [
        "The cat sleeps on the warm windowsill.",
        "Quarterly revenue grew by twelve percent.",
        "Rain is expected over the mountains tonight.",
        "The new compiler release speeds up builds.",
    ];

    [FixtureFact]
    public async Task A_kernel_function_ranks_notes_with_the_embedding_service()
    {
        var model = Fixtures.ModelDir("bert-mean-tiny");
        var kernel = Kernel.CreateBuilder().AddEmbeddingModel(model).Build();
        kernel.Plugins.AddFromFunctions("notes",
        [
            KernelFunctionFactory.CreateFromMethod(async (Kernel k, string question, CancellationToken cancellationToken) =>
            {
                var service = k.GetRequiredService<ITextEmbeddingGenerationService>();
                var vectors = await service.GenerateEmbeddingsAsync([question, .. Notes], k, cancellationToken);
                var best = Enumerable.Range(1, Notes.Length)
                    .MaxBy(i => TensorPrimitives.CosineSimilarity(vectors[0].Span, vectors[i].Span));
                return Notes[best - 1];
            }, "closest", "The note closest in meaning to the question."),
        ]);

        const string question = "Where does the cat sleep?";
        var answer = await kernel.InvokeAsync<string>("notes", "closest", new KernelArguments { ["question"] = question });

        // The same ranking computed straight on the library.
        using var embedder = OnnxEmbedder.Create(model);
        var direct = embedder.Embed([question, .. Notes]);
        var expected = Notes[Enumerable.Range(1, Notes.Length).MaxBy(i => TensorPrimitives.CosineSimilarity(direct[0].Span, direct[i].Span)) - 1];
        Assert.Equal(expected, answer);
    }
}
