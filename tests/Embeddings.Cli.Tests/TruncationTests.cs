using Embeddings.TestModels;

namespace Embeddings.Cli.Tests;

/// <summary><c>--truncate error|right|left</c> and the count of cut texts on stderr (the fixture models accept 512 tokens).</summary>
public sealed class TruncationTests
{
    // 600 one-token words: [CLS] + 510 words + [SEP] fit, so 90 are cut.
    private static readonly string Long = Words("alpha", 300) + " " + Words("beta", 300);

    [FixtureFact]
    public void Cut_texts_are_counted_on_stderr()
    {
        var result = CliRun.Run(CliRun.TextLines(["short", Long, "also short", Long]), "embed", "--model", Fixtures.ModelDir("bert-mean-tiny"));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(4, result.OutputLines.Length);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("2 of 4 texts were longer than the model's limit of 512 tokens", line, StringComparison.Ordinal);
    }

    [FixtureFact]
    public void Nothing_is_said_when_nothing_was_cut()
    {
        var result = CliRun.Run(CliRun.TextLines(["short", "also short"]), "embed", "--model", Fixtures.ModelDir("bert-mean-tiny"));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
    }

    [FixtureTheory]
    [InlineData("embed", "bert-mean-tiny")]
    [InlineData("tokens", "bert-mean-tiny")]
    [InlineData("sparse", "splade-tiny")]
    public void Error_refuses_the_first_long_text_naming_its_line(string command, string modelName)
    {
        // A blank line between counts as a line: the error names the line in the input, not the record.
        var input = CliRun.TextLines(["short", "x"]) + "\n" + CliRun.TextLines([Long]);
        var result = CliRun.Run(input, command, "--model", Fixtures.ModelDir(modelName), "--truncate", "error");
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Equal("line 4: the text is 602 tokens long and the model accepts at most 512 (--truncate right or left cuts it to fit)", line);
    }

    [FixtureTheory]
    [InlineData("tokens", "bert-mean-tiny")]
    [InlineData("sparse", "splade-tiny")]
    public void Other_commands_count_cut_texts_too(string command, string modelName)
    {
        var result = CliRun.Run(CliRun.TextLines([Long, "short"]), command, "--model", Fixtures.ModelDir(modelName));
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("1 of 2 texts were longer", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [FixtureFact]
    public void Right_keeps_the_start_and_left_keeps_the_end()
    {
        var model = Fixtures.ModelDir("bert-mean-tiny");
        string start = Words("alpha", 300) + " " + Words("beta", 210);
        string end = Words("alpha", 210) + " " + Words("beta", 300);

        var expected = CliRun.Run(CliRun.TextLines([start, end]), "embed", "--model", model).OutputLines;
        var right = CliRun.Run(CliRun.TextLines([Long]), "embed", "--model", model, "--truncate", "right");
        var left = CliRun.Run(CliRun.TextLines([Long]), "embed", "--model", model, "--truncate", "left");
        var byDefault = CliRun.Run(CliRun.TextLines([Long]), "embed", "--model", model);

        Assert.Equal(expected[0], right.OutputLines.Single());
        Assert.Equal(expected[1], left.OutputLines.Single());
        Assert.Equal(right.Output, byDefault.Output);
        Assert.Contains("their starts were cut", left.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_choice_is_a_usage_error()
    {
        var result = CliRun.Run("", "embed", "--model", "no-such-folder", "--truncate", "middle");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("unknown --truncate 'middle'; use error, right or left", Assert.Single(result.ErrorLines));
    }

    private static string Words(string word, int count) => string.Join(' ', Enumerable.Repeat(word, count));
}
