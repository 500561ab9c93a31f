using Embeddings.TestModels;

namespace Embeddings.Cli.Tests;

/// <summary><c>--progress</c> with stderr redirected: plain <c>done/total</c> lines that end at <c>N/N</c>.</summary>
public sealed class ProgressTests
{
    private static readonly string[] Texts = Enumerable.Range(0, 320)
        .Select(i => string.Join(' ', Enumerable.Repeat($"word{i % 17}", 1 + i % 40))).ToArray();

    [FixtureFact]
    public void Embed_progress_counts_up_to_the_number_of_texts_and_leaves_the_output_unchanged()
    {
        var model = Fixtures.ModelDir("bert-mean-tiny");
        var input = CliRun.TextLines(Texts);
        var plain = CliRun.Run(input, "embed", "--model", model);
        var withProgress = CliRun.Run(input, "embed", "--model", model, "--progress", "--max-batch-size", "32");

        Assert.Equal(0, withProgress.ExitCode);
        Assert.Equal(plain.Output, withProgress.Output);
        var counts = withProgress.ErrorLines.Select(ParseCount).ToArray();
        Assert.True(counts.Length >= 10, $"expected a line per batch of 32, got: {withProgress.Error}");
        Assert.All(counts, c => Assert.Equal(320, c.Total));
        Assert.Equal(counts.Select(c => c.Done).Order(), counts.Select(c => c.Done));
        Assert.Equal("320/320", withProgress.ErrorLines[^1]);
    }

    [FixtureTheory]
    [InlineData("tokenize", "bert-mean-tiny")]
    [InlineData("tokens", "bert-mean-tiny")]
    [InlineData("sparse", "splade-tiny")]
    [InlineData("chunk", "bert-mean-tiny")]
    public void Every_model_command_ends_its_progress_at_the_number_of_texts(string command, string modelName)
    {
        var input = CliRun.TextLines(Texts.Take(40)) + "\n";
        var result = CliRun.Run(input, command, "--model", Fixtures.ModelDir(modelName), "--progress");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(40, result.OutputLines.Length);
        Assert.Equal("40/40", result.ErrorLines[^1]);
    }

    [FixtureFact]
    public void Progress_counts_the_records_of_an_input_file()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, CliRun.TextLines(Texts.Take(25)));
            var result = CliRun.Run(null, "embed", "--model", Fixtures.ModelDir("bert-cls-tiny"), "--input", file, "--progress");
            Assert.Equal(0, result.ExitCode);
            Assert.Equal(25, result.OutputLines.Length);
            Assert.Equal("25/25", result.ErrorLines[^1]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static (int Done, int Total) ParseCount(string line)
    {
        var parts = line.Split('/');
        Assert.Equal(2, parts.Length);
        return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
