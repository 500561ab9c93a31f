using System.Runtime.InteropServices;
using System.Text.Json;
using Embeddings.Onnx;
using Embeddings.TestModels;

namespace Embeddings.Packaging.Tests;

/// <summary>
/// The routes the README documents, taken by a console project that knows the library only through the packed
/// packages (restored from the temporary feed into a temporary packages folder, the machine's package cache only read):
/// `dotnet add package Embeddings.Onnx` alone, run and published as one self-extracting file; and Embeddings.Onnx.Gpu
/// instead of it for CUDA.
/// </summary>
[Collection(nameof(PackagesCollection))]
public sealed class ConsumerProjectTests(PackedPackages packages)
{
    private static string Model => Fixtures.ModelDir("bert-mean-tiny");

    [FixtureFact]
    public void A_fresh_app_with_only_Embeddings_Onnx_runs_the_readme_example_through_dotnet_run()
    {
        string consumer = CreateConsumer("cpu");
        var (text, reference) = FirstReferenceEmbedding();

        string output = DotnetCli.Run(consumer,
            ["run", "-c", "Release", .. RestoreArguments("Embeddings.Onnx"), "--", Model, text]);

        AssertEmbedsLikeTheLibrary(output, text, reference);
    }

    [FixtureFact]
    public void A_self_contained_single_file_publish_with_native_self_extraction_runs_it_too()
    {
        string consumer = CreateConsumer("single-file");
        string publish = Path.Combine(consumer, "publish");
        var (text, reference) = FirstReferenceEmbedding();

        DotnetCli.Run(consumer,
        [
            "publish", "-c", "Release", "-r", PortableRid(), "--self-contained", "-o", publish,
            "-p:PublishSingleFile=true", "-p:IncludeNativeLibrariesForSelfExtract=true", .. RestoreArguments("Embeddings.Onnx"),
        ]);

        // One file: the native runtime travels inside it and is extracted on first run.
        string executable = Path.Combine(publish, OperatingSystem.IsWindows() ? "Consumer.exe" : "Consumer");
        Assert.Equal([executable], Directory.GetFiles(publish).Where(f => !f.EndsWith(".pdb", StringComparison.Ordinal)));
        string output = DotnetCli.RunProgram(executable, consumer, [Model, text],
            new Dictionary<string, string> { ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = Path.Combine(consumer, "extracted") });

        AssertEmbedsLikeTheLibrary(output, text, reference);
    }

    [FixtureFact]
    public void The_gpu_route_restores_builds_and_names_what_is_missing_for_CUDA_then_falls_back_when_allowed()
    {
        string consumer = CreateConsumer("gpu");
        var (text, reference) = FirstReferenceEmbedding();

        DotnetCli.Run(consumer, ["build", "-c", "Release", .. RestoreArguments("Embeddings.Onnx.Gpu")]);

        if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64)
        {
            string output = AssertOnlyTheCudaRuntimeIsInTheOutput(consumer);

            // These machines have no CUDA: the typed error names the library the loader could not find; the fallback runs.
            string result = DotnetCli.Run(consumer, [Path.Combine(output, "Consumer.dll"), Model, text, "cuda"]);
            using var json = JsonDocument.Parse(result);
            string missing = json.RootElement.GetProperty("cudaMissing").GetString() ?? "";
            Assert.True(missing.Contains("libonnxruntime_providers_cuda.so cannot be loaded", StringComparison.Ordinal)
                || missing.Contains("no usable CUDA device", StringComparison.Ordinal), missing);
            Assert.Equal("CPUExecutionProvider", json.RootElement.GetProperty("provider").GetString());
            AssertEmbedsLikeTheLibrary(result, text, reference);
        }
    }

    [FixtureFact]
    public void Referencing_the_cpu_and_gpu_packages_together_keeps_only_the_CUDA_runtime_and_says_so()
    {
        string consumer = CreateConsumer("both");
        var (text, reference) = FirstReferenceEmbedding();

        string log = DotnetCli.Run(consumer,
            ["build", "-c", "Release", .. RestoreArguments("Embeddings.Onnx"), "-p:EmbeddingsAlsoPackage=Embeddings.Onnx.Gpu"]);

        Assert.Contains("the CUDA build is the only runtime in the output", log, StringComparison.Ordinal);
        if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64)
        {
            string output = AssertOnlyTheCudaRuntimeIsInTheOutput(consumer);
            AssertEmbedsLikeTheLibrary(DotnetCli.Run(consumer, [Path.Combine(output, "Consumer.dll"), Model, text]), text, reference);
        }
    }

    // The CUDA build, and only it: its provider library is there, and the runtime is the GPU package's file.
    private static string AssertOnlyTheCudaRuntimeIsInTheOutput(string consumer)
    {
        string output = Path.Combine(consumer, "bin", "Release", "net10.0");
        string native = Path.Combine(output, "runtimes", "linux-x64", "native");
        Assert.True(File.Exists(Path.Combine(native, "libonnxruntime_providers_cuda.so")));
        string gpuRuntime = Path.Combine(PackedPackages.GlobalPackagesFolder(consumer), "microsoft.ml.onnxruntime.gpu.linux", "1.32.0", "runtimes", "linux-x64", "native", "libonnxruntime.so");
        Assert.Equal(new FileInfo(gpuRuntime).Length, new FileInfo(Path.Combine(native, "libonnxruntime.so")).Length);
        return output;
    }

    /// <summary>This machine's runtime identifier in the portable form packages use (linux-x64, win-arm64, osx-arm64).</summary>
    internal static string PortableRid()
    {
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        return $"{os}-{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}";
    }

    private string[] RestoreArguments(string embeddingsPackages) =>
    [
        // A property rather than --packages, which `dotnet run` would hand to the application.
        $"-p:RestorePackagesPath={Path.Combine(packages.Root, "packages")}", "--disable-build-servers",
        $"-p:EmbeddingsVersion={packages.Version}", $"-p:EmbeddingsPackages={embeddingsPackages}",
    ];

    // Same library and runtime in both processes: the packaged route must give this process's vectors.
    private static void AssertEmbedsLikeTheLibrary(string output, string text, float[] reference)
    {
        using var result = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var direct = result.RootElement.GetProperty("direct").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        var generated = result.RootElement.GetProperty("generated").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(32, result.RootElement.GetProperty("dimensions").GetInt32());
        Assert.True(result.RootElement.GetProperty("tokens").GetInt64() > 0);

        using var embedder = OnnxEmbedder.Create(Model);
        float[] expected = embedder.Embed(text);
        Assert.Equal(expected.Length, direct.Length);
        float worst = expected.Zip(direct, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 1e-6f, $"The packaged library's vector differs from this process's by {worst:E2}.");
        float fromReference = reference.Zip(direct, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(fromReference <= 1e-4f, $"The packaged library's vector differs from the reference by {fromReference:E2}.");
        Assert.Equal(direct, generated);
    }

    private string CreateConsumer(string name) => packages.CreateConsumer("Consumer", "consumer-" + name);

    private static (string Text, float[] Embedding) FirstReferenceEmbedding()
    {
        foreach (string line in File.ReadLines(Path.Combine(Model, "refs.jsonl")))
        {
            using var record = JsonDocument.Parse(line);
            var root = record.RootElement;
            if (root.GetProperty("type").GetString() != "embedding") continue;
            if (root.TryGetProperty("prompt_name", out var prompt) && prompt.ValueKind == JsonValueKind.String) continue;
            string text = root.GetProperty("text").GetString()!;
            if (text.Length == 0) continue;
            return (text, root.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray());
        }
        throw new InvalidOperationException("bert-mean-tiny's refs.jsonl has no embedding record without a prompt.");
    }
}
