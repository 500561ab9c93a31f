// A consumer of the Embeddings.Core and Embeddings.Onnx packages, as an application would write it.
// Usage: Consumer <model folder> <text>. Prints one JSON object: the vector from the factory, the vector from the
// dependency-injected Microsoft.Extensions.AI generator, the model's dimensions and the generator's token usage.
using System.Text.Json;
using Embeddings;
using Embeddings.Onnx;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

string model = args[0], text = args[1];

using var embedder = OnnxEmbedder.Create(model);
float[] direct = embedder.Embed(text);

var services = new ServiceCollection().AddEmbeddingGenerator(model);
await using var provider = services.BuildServiceProvider();
var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
var generated = await generator.GenerateAsync([text]);

Console.WriteLine(JsonSerializer.Serialize(new
{
    direct,
    generated = generated[0].Vector.ToArray(),
    dimensions = embedder.Info.Dimensions,
    tokens = generated.Usage?.InputTokenCount,
}));
