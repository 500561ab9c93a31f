using Embeddings.Onnx.Tests.Support;
using Embeddings.TestModels;

namespace Embeddings.Onnx.Tests;

/// <summary>Bad model files give typed errors that name the file, never a native crash.</summary>
public sealed class ModelLoadErrorTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_missing_file_gives_FileNotFoundException_naming_it()
    {
        var missing = _directory.File("missing.onnx");

        var error = Assert.Throws<FileNotFoundException>(() => OnnxInferenceBackend.Create(missing));

        Assert.Equal(missing, error.FileName);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_instead_of_a_file_says_so()
    {
        var error = Assert.Throws<FileNotFoundException>(() => OnnxInferenceBackend.Create(_directory.Path));

        Assert.Contains("folder", error.Message, StringComparison.Ordinal);
        Assert.Contains(_directory.Path, error.Message, StringComparison.Ordinal);
    }

    [FixtureFact]
    public void A_truncated_model_gives_InvalidProtobuf_naming_the_file()
    {
        var whole = File.ReadAllBytes(ReferenceRecords.ModelFile("bert-mean-tiny"));
        var truncated = _directory.File("truncated.onnx");
        File.WriteAllBytes(truncated, whole.AsSpan(0, whole.Length / 3).ToArray());

        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxInferenceBackend.Create(truncated));

        Assert.Equal(OrtErrorCode.InvalidProtobuf, error.ErrorCode);
        Assert.Contains(truncated, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_model_gives_InvalidProtobuf()
    {
        var text = _directory.File("readme.onnx");
        File.WriteAllText(text, "This is not an ONNX model, just some text.");

        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxInferenceBackend.Create(text));

        Assert.Equal(OrtErrorCode.InvalidProtobuf, error.ErrorCode);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_graph_with_an_unknown_operator_gives_InvalidGraph()
    {
        var model = new TinyOnnxGraph()
            .Input("input_ids", TinyOnnxGraph.ElementType.Int64, "batch", "sequence")
            .Output("last_hidden_state", TinyOnnxGraph.ElementType.Float, "batch", "sequence")
            .Operator("NoSuchOperator", "input_ids", "last_hidden_state")
            .Save(_directory.File("unknown-op.onnx"));

        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxInferenceBackend.Create(model));

        Assert.Equal(OrtErrorCode.InvalidGraph, error.ErrorCode);
        Assert.Contains("NoSuchOperator", error.Message, StringComparison.Ordinal);
    }
}
