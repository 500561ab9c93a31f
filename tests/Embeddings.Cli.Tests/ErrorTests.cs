using Embeddings.TestModels;

namespace Embeddings.Cli.Tests;

/// <summary>Every error is one line on stderr with a non-zero exit code, naming the input line when one line is at fault.</summary>
public sealed class ErrorTests
{
    [FixtureFact]
    public void Too_many_dimensions_is_one_plain_line()
    {
        var result = CliRun.Run(CliRun.TextLines(["hello"]), "embed", "--model", Fixtures.ModelDir("bert-mean-tiny"), "--dimensions", "999");
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Equal("Dimensions is 999 but the model's vectors have 32.", line);
    }

    [FixtureFact]
    public void Bad_json_names_its_line()
    {
        var result = CliRun.Run("{\"text\":\"ok\"}\n{\"text\":\"ok\"}\n{\"text\": nope}\n", "embed", "--model", Fixtures.ModelDir("bert-mean-tiny"));
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("line 3: invalid JSON", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [FixtureFact]
    public void A_missing_text_names_its_line()
    {
        var result = CliRun.Run("{\"text\":\"ok\"}\n{\"txt\":\"typo\"}\n", "tokenize", "--model", Fixtures.ModelDir("bert-mean-tiny"));
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("line 2: missing \"text\"", Assert.Single(result.ErrorLines));
    }

    [FixtureFact]
    public void Sparse_on_a_dense_model_is_one_line()
    {
        var result = CliRun.Run(CliRun.TextLines(["hello"]), "sparse", "--model", Fixtures.ModelDir("bert-mean-tiny"));
        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.ErrorLines);
    }

    [Theory]
    [InlineData(2, "embed", "--model", "m", "--bogus")]
    [InlineData(2, "embed", "--dimensions", "-3")]
    [InlineData(2, "frobnicate")]
    [InlineData(1, "embed", "--model", "no/such/folder")]
    [InlineData(1, "tokenize", "--tokenizer", "no-such-file.json")]
    [InlineData(1, "embed", "--model", "m", "--input", "no-such-input.jsonl")]
    public void Usage_and_missing_file_errors_are_one_line(int exitCode, params string[] args)
    {
        var result = CliRun.Run("", args);
        Assert.Equal(exitCode, result.ExitCode);
        Assert.Equal("", result.Output);
        var line = Assert.Single(result.ErrorLines);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", line, StringComparison.Ordinal);
    }
}
