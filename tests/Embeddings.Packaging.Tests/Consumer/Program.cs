// A consumer of the packages, as an application would write it: the README's first lines on a model folder, then
// the dependency-injected Microsoft.Extensions.AI generator.
// Usage: Consumer <model folder> <text> [cuda]. Prints one JSON object: the vector from the factory, the vector from
// the generator, the model's dimensions and the generator's token usage. With "cuda", it asks for CUDA device 0
// first, reports the typed error, then runs with fallback to the CPU allowed and reports the provider used.
using System.Text.Json;
using Embeddings;
using Embeddings.Onnx;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

string model = args[0], text = args[1];
bool cuda = args.Length > 2 && args[2] == "cuda";

string? cudaError = null, cudaMissing = null, provider = null;
var options = new OnnxEmbedderOptions();
if (cuda)
{
    try
    {
        using var gpu = OnnxInferenceBackend.Create(Path.Combine(model, "onnx", "model.onnx"), new OnnxRuntimeOptions { CudaDeviceId = 0 });
        provider = gpu.ExecutionProvider;
    }
    catch (ExecutionProviderUnavailableException e)
    {
        cudaError = e.Message;
        cudaMissing = e.Missing;
    }
    options.Runtime.CudaDeviceId = 0;
    options.Runtime.CudaFallbackToCpu = true;
    using var fallback = OnnxInferenceBackend.Create(Path.Combine(model, "onnx", "model.onnx"), options.Runtime);
    provider ??= fallback.ExecutionProvider;
}

using var embedder = await OnnxEmbedder.CreateAsync(model, options);
EmbeddingResult vectors = embedder.Embed([text]);
float[] direct = vectors[0].ToArray();

var services = new ServiceCollection().AddEmbeddingGenerator(model);
await using var container = services.BuildServiceProvider();
var generator = container.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
var generated = await generator.GenerateAsync([text]);

Console.WriteLine(JsonSerializer.Serialize(new
{
    direct,
    generated = generated[0].Vector.ToArray(),
    dimensions = embedder.Info.Dimensions,
    tokens = generated.Usage?.InputTokenCount,
    cudaError,
    cudaMissing,
    provider,
}));
