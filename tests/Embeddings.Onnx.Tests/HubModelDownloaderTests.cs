using Embeddings.Hub.Tests.Fakes;
using Embeddings.Models;
using Embeddings.TestModels;

namespace Embeddings.Onnx.Tests;

public sealed class HubModelDownloaderTests
{
    private const string RepoId = "org/bert-mean-tiny";

    /// <summary>Where the runtime package looks for its default model file.</summary>
    private static readonly string[] DefaultModelFile = ["onnx/model.onnx", "model.onnx"];

    /// <summary>The bert-mean-tiny fixture as a hub repository, plus weights and variants a download must skip.</summary>
    private static Dictionary<string, FakeFile> Repository()
    {
        string root = Fixtures.ModelDir("bert-mean-tiny");
        var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Where(path => !path.EndsWith("refs.jsonl", StringComparison.Ordinal))
            .ToDictionary(path => Path.GetRelativePath(root, path).Replace('\\', '/'),
                path => new FakeFile(File.ReadAllBytes(path), Lfs: path.EndsWith(".onnx", StringComparison.Ordinal)));
        files["pytorch_model.bin"] = FakeFile.Binary(50_000, seed: 1);
        files["model.safetensors"] = FakeFile.Binary(50_000, seed: 2);
        files["onnx/model_O4.onnx"] = FakeFile.Binary(40_000, seed: 3);
        files["README.md"] = FakeFile.Text("# tiny");
        return files;
    }

    [FixtureFact]
    public async Task Downloads_exactly_what_the_model_folder_needs()
    {
        await using var context = new HubTestContext();
        context.Hub.AddRepo(RepoId).Commit(Repository());
        using var client = context.Client();

        string folder = await HubModelDownloader.DownloadAsync(client, RepoId, DefaultModelFile);

        var got = Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(folder, path).Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
        [
            "1_Pooling/config.json", "config.json", "config_sentence_transformers.json", "modules.json", "onnx/model.onnx",
            "sentence_bert_config.json", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json",
        ], got);
        Assert.Equal(0, context.Hub.Count("GET", "pytorch_model.bin"));
        Assert.Equal(0, context.Hub.Count("GET", "model_O4"));
        var model = ModelFolder.Open(folder);
        Assert.True(model.Normalize);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Fixtures.ModelDir("bert-mean-tiny"), "onnx", "model.onnx")), File.ReadAllBytes(Path.Combine(folder, "onnx", "model.onnx")));
    }

    [FixtureFact]
    public async Task A_variant_brings_its_own_onnx_file_and_a_second_call_reads_the_cache()
    {
        await using var context = new HubTestContext();
        var files = Repository();
        files["onnx/model_quantized.onnx"] = files["onnx/model.onnx"];
        context.Hub.AddRepo(RepoId).Commit(files);
        string[] quantized = ["onnx/model_quantized.onnx", "model_quantized.onnx"];
        using (var client = context.Client())
        {
            string folder = await HubModelDownloader.DownloadAsync(client, RepoId, quantized);
            Assert.True(File.Exists(Path.Combine(folder, "onnx", "model_quantized.onnx")));
            Assert.False(File.Exists(Path.Combine(folder, "onnx", "model.onnx")));
        }
        using var offline = context.Client(o => o.Offline = true);
        string cached = await HubModelDownloader.DownloadAsync(offline, RepoId, quantized);
        Assert.True(File.Exists(Path.Combine(cached, "onnx", "model_quantized.onnx")));
    }

    [Fact]
    public void Tells_ids_from_folders()
    {
        Assert.True(HubModelDownloader.IsHubId("sentence-transformers/all-MiniLM-L6-v2"));
        Assert.True(HubModelDownloader.IsHubId("bert-base-uncased"));
        Assert.False(HubModelDownloader.IsHubId("../models/x"));
        Assert.False(HubModelDownloader.IsHubId("/abs/path"));
        Assert.False(HubModelDownloader.IsHubId(Path.GetTempPath()));
    }
}
