using Embeddings.Hub;

namespace Embeddings.Hub.Tests;

/// <summary>Patterns match as Python's fnmatch.fnmatchcase does for huggingface_hub's allow_patterns.</summary>
public sealed class FilePatternTests
{
    [Theory]
    [InlineData("*.json", "config.json", true)]
    [InlineData("*.json", "1_Pooling/config.json", true)]
    [InlineData("*.json", "config.json.bak", false)]
    [InlineData("*.JSON", "config.json", false)]
    [InlineData("onnx/*", "onnx/model.onnx", true)]
    [InlineData("onnx/*", "onnx/sub/model.onnx", true)]
    [InlineData("onnx/*", "model.onnx", false)]
    [InlineData("onnx/", "onnx/model.onnx", true)]
    [InlineData("onnx/", "onnx", false)]
    [InlineData("model?.onnx", "model1.onnx", true)]
    [InlineData("model?.onnx", "model.onnx", false)]
    [InlineData("model_[OQ]4.onnx", "model_O4.onnx", true)]
    [InlineData("model_[OQ]4.onnx", "model_X4.onnx", false)]
    [InlineData("model_[!O]4.onnx", "model_O4.onnx", false)]
    [InlineData("model_[!O]4.onnx", "model_Q4.onnx", true)]
    [InlineData("part-[0-9].bin", "part-7.bin", true)]
    [InlineData("part-[0-9].bin", "part-a.bin", false)]
    [InlineData("[]]x", "]x", true)]
    [InlineData("[x", "[x", true)]
    [InlineData("*", "anything/at/all", true)]
    [InlineData("*a*b*", "xxaxxbxx", true)]
    [InlineData("*a*b*", "xxbxxaxx", false)]
    [InlineData("**/*.json", "a/b.json", true)]
    [InlineData("config.json", "config.json", true)]
    [InlineData("config.json", "1_Pooling/config.json", false)]
    public void Matches_like_fnmatchcase(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, FilePattern.Parse(pattern, "pattern").IsMatch(path));
    }

    [Theory]
    [InlineData("config.json", true)]
    [InlineData("1_Pooling/config.json", true)]
    [InlineData("*.json", false)]
    [InlineData("onnx/", false)]
    [InlineData("model?.onnx", false)]
    [InlineData("model_[OQ]4.onnx", false)]
    public void A_pattern_without_wildcards_names_one_file(string pattern, bool literal)
    {
        Assert.Equal(literal, FilePattern.Parse(pattern, "pattern").IsLiteral);
    }
}
