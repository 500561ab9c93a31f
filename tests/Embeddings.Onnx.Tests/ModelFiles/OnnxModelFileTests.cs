using Embeddings.Models;
using Embeddings.Onnx.Tests.Support;
using Embeddings.TestModels;

namespace Embeddings.Onnx.Tests.ModelFiles;

/// <summary>Which ONNX file of a folder runs, what the error says when it is missing, and which files count as dynamically quantized.</summary>
public sealed class OnnxModelFileTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [FixtureFact]
    public void The_default_file_is_onnx_model_onnx()
    {
        var folder = ModelFolder.Open(Fixtures.ModelDir("bert-mean-tiny"));
        string path = OnnxModelFile.Find(folder);
        Assert.Equal(Path.Combine(folder.Directory, "onnx", "model.onnx"), path);
        Assert.False(OnnxModelFile.LooksDynamicallyQuantized(path));
    }

    [Fact]
    public void A_folder_without_the_file_lists_the_ones_present_and_a_variant_picks_one()
    {
        var folder = MinimalFolder();
        File.Delete(Path.Combine(_directory.Path, "onnx", "model.onnx"));
        Write("onnx/model_quantized.onnx", [0]);
        var error = Assert.Throws<ModelConfigurationException>(() => OnnxModelFile.Find(folder));
        Assert.Contains("No model.onnx", error.Message);
        Assert.Contains("onnx/model_quantized.onnx", error.Message);

        string quantized = OnnxModelFile.Find(folder, new OnnxModelFileOptions { Variant = OnnxModelVariant.Quantized });
        Assert.Equal(Path.Combine(_directory.Path, "onnx", "model_quantized.onnx"), quantized);
        Assert.True(OnnxModelFile.LooksDynamicallyQuantized(quantized));
    }

    [Fact]
    public void A_folder_without_any_onnx_file_says_how_to_get_one()
    {
        var folder = MinimalFolder();
        File.Delete(Path.Combine(_directory.Path, "onnx", "model.onnx"));
        var error = Assert.Throws<ModelConfigurationException>(() => OnnxModelFile.Find(folder));
        Assert.Contains("has no .onnx file", error.Message);
    }

    [Fact]
    public void An_explicit_file_must_exist_and_stay_inside_the_folder()
    {
        var folder = MinimalFolder();
        Write("onnx/model_qint8_arm64.onnx", [0]);
        Assert.Equal(Path.Combine(_directory.Path, "onnx", "model_qint8_arm64.onnx"),
            OnnxModelFile.Find(folder, new OnnxModelFileOptions { File = "onnx/model_qint8_arm64.onnx" }));
        var missing = Assert.Throws<ModelConfigurationException>(() => OnnxModelFile.Find(folder, new OnnxModelFileOptions { File = "onnx/absent.onnx" }));
        Assert.Contains("\"onnx/absent.onnx\" does not exist", missing.Message);
        Assert.Throws<ModelConfigurationException>(() => OnnxModelFile.Find(folder, new OnnxModelFileOptions { File = "../outside.onnx" }));
    }

    [Fact]
    public void The_transformer_module_folder_is_searched_too()
    {
        Write("tokenizer.json", "{}");
        Write("config.json", """{"model_type": "bert", "max_position_embeddings": 128, "hidden_size": 4}""");
        Write("modules.json", """[{"idx": 0, "name": "0", "path": "0_Transformer", "type": "sentence_transformers.models.Transformer"}]""");
        Write("0_Transformer/onnx/model.onnx", [0]);
        var folder = ModelFolder.Open(_directory.Path);
        Assert.Equal(Path.Combine(_directory.Path, "0_Transformer", "onnx", "model.onnx"), OnnxModelFile.Find(folder));
    }

    [Fact]
    public void Dynamic_quantization_is_recognised_from_the_name_or_the_graph_operators()
    {
        Assert.False(OnnxModelFile.LooksDynamicallyQuantized(Write("onnx/model.onnx", [0])));
        Assert.True(OnnxModelFile.LooksDynamicallyQuantized(Write("onnx/model_int8.onnx", [0])));
        Assert.True(OnnxModelFile.LooksDynamicallyQuantized(Write("onnx/model_q8.onnx", [0])));
        string graph = Write("onnx/model_O2.onnx", System.Text.Encoding.ASCII.GetBytes("\u0008\u0008graph nodes: DynamicQuantizeLinear MatMulInteger"));
        Assert.True(OnnxModelFile.LooksDynamicallyQuantized(graph));
    }

    [Fact]
    public void Download_candidates_follow_the_variant_or_the_explicit_file()
    {
        Assert.Equal(["onnx/model.onnx", "model.onnx"], OnnxModelFile.DownloadCandidates());
        Assert.Equal(["onnx/model_quantized.onnx", "model_quantized.onnx"],
            OnnxModelFile.DownloadCandidates(new OnnxModelFileOptions { Variant = OnnxModelVariant.Quantized }));
        Assert.Equal(["onnx/custom.onnx"], OnnxModelFile.DownloadCandidates(new OnnxModelFileOptions { File = "onnx\\custom.onnx" }));
    }

    [FixtureFact]
    public void The_backend_reports_batch_dependence_as_detected_or_declared()
    {
        string model = Path.Combine(Fixtures.ModelDir("bert-mean-tiny"), "onnx", "model.onnx");
        using (var detected = OnnxInferenceBackend.Create(model))
        {
            Assert.False(detected.Signature.BatchDependent);
            Assert.Equal(model, detected.Signature.ModelPath);
        }
        using var declared = OnnxInferenceBackend.Create(model, dynamicallyQuantized: true);
        Assert.True(declared.Signature.BatchDependent);
    }

    private ModelFolder MinimalFolder()
    {
        Write("tokenizer.json", "{}");
        Write("onnx/model.onnx", [0]);
        Write("config.json", """{"model_type": "bert", "max_position_embeddings": 128, "hidden_size": 4}""");
        return ModelFolder.Open(_directory.Path);
    }

    private string Write(string relative, string content) => Write(relative, System.Text.Encoding.UTF8.GetBytes(content));

    private string Write(string relative, byte[] content)
    {
        string full = Path.Combine(_directory.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return full;
    }
}
