using System.Text.Json;
using Embeddings.TestModels;

namespace Embeddings.Packaging.Tests;

/// <summary>
/// A fresh application referencing only the packed Embeddings.SemanticKernel and Embeddings.Tokenizers (which bring the
/// CPU runtime through Embeddings.Onnx) plus
/// Microsoft.SemanticKernel.Core builds a kernel with <c>AddEmbeddingModel</c>, gets both embedding services, and
/// tokenizes through the Microsoft.ML.Tokenizers abstraction.
/// </summary>
[Collection(nameof(PackagesCollection))]
public sealed class SemanticKernelConsumerTests(PackedPackages packages)
{
    [FixtureFact]
    public void A_kernel_built_from_the_packages_gives_both_services_and_the_tokenizer()
    {
        string consumer = packages.CreateConsumer("SemanticKernelConsumer", "sk-consumer");

        DotnetCli.Run(consumer,
        [
            "build", "-c", "Release", "--packages", Path.Combine(packages.Root, "sk-packages"), "--disable-build-servers",
            $"-p:EmbeddingsVersion={packages.Version}",
        ]);

        string modelDir = Fixtures.ModelDir("bert-mean-tiny");
        using var reference = JsonDocument.Parse(File.ReadLines(Path.Combine(modelDir, "refs.jsonl")).First(l => l.Contains("\"dev-hello\"", StringComparison.Ordinal)));
        string text = reference.RootElement.GetProperty("text").GetString()!;
        string output = DotnetCli.Run(consumer,
            [Path.Combine(consumer, "bin", "Release", "net10.0", "SemanticKernelConsumer.dll"), modelDir, Path.Combine(modelDir, "tokenizer.json"), text]);

        using var result = JsonDocument.Parse(output);
        var want = reference.RootElement.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        foreach (string name in new[] { "generated", "service" })
        {
            var got = result.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetSingle()).ToArray();
            Assert.Equal(want.Length, got.Length);
            float worst = want.Zip(got, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= 1e-4f, $"{name}: differs from the reference by {worst:E2}.");
        }
        var ids = result.RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(reference.RootElement.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()), ids);
        Assert.Equal(ids.Length, result.RootElement.GetProperty("count").GetInt32());
    }
}
