// Arguments: a model folder, a tokenizer.json, a text. Prints one JSON object with what each entry point gives.
using System.Text.Json;
using Embeddings.Tokenizers;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Embeddings;

string model = args[0], tokenizerJson = args[1], text = args[2];

var kernel = Kernel.CreateBuilder().AddEmbeddingModel(model).Build();
var generator = kernel.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
var service = kernel.GetRequiredService<ITextEmbeddingGenerationService>();
var generated = await generator.GenerateAsync(text);
var fromService = (await service.GenerateEmbeddingsAsync([text]))[0];

Microsoft.ML.Tokenizers.Tokenizer tokenizer = HuggingFaceTokenizer.Create(tokenizerJson);

Console.WriteLine(JsonSerializer.Serialize(new
{
    generated = generated.Vector.ToArray(),
    service = fromService.ToArray(),
    ids = tokenizer.EncodeToIds(text),
    count = tokenizer.CountTokens(text),
}));
