// The README's Semantic Kernel example, line for line (ReadmeExampleTests checks that the two stay the same). Only
// the model comes in as a parameter instead of the README's `var model = ...` line.
#pragma warning disable CS0618 // ITextEmbeddingGenerationService is obsolete in Semantic Kernel and still asked for.
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Embeddings;

namespace Embeddings.SemanticKernel.Tests;

internal static class ReadmeExample
{
    public static async Task<(string Answer, IList<ReadOnlyMemory<float>> Vectors)> RunAsync(string model)
    {
        var kernel = Kernel.CreateBuilder().AddEmbeddingModel(model).Build();

        // Both services run the one loaded model; Semantic Kernel code may ask for either.
        var generator = kernel.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var service = kernel.GetRequiredService<ITextEmbeddingGenerationService>();

        string[] notes = ["The cat sleeps on the warm windowsill.", "Quarterly revenue grew by twelve percent."];
        IList<ReadOnlyMemory<float>> vectors = await service.GenerateEmbeddingsAsync(notes);   // one batched call

        kernel.Plugins.AddFromFunctions("notes",
        [
            KernelFunctionFactory.CreateFromMethod(async (string question, CancellationToken cancellationToken) =>
            {
                var query = await generator.GenerateAsync(question, cancellationToken: cancellationToken);
                var best = Enumerable.Range(0, notes.Length)
                    .MaxBy(i => TensorPrimitives.CosineSimilarity(query.Vector.Span, vectors[i].Span));
                return notes[best];
            }, "closest", "The note closest in meaning to the question."),
        ]);
        var answer = await kernel.InvokeAsync<string>("notes", "closest", new() { ["question"] = "Where is the cat?" });
        return (answer!, vectors);
    }
}
