using Embeddings.TestModels;

namespace Embeddings.Cli.Tests;

/// <summary>The search console sample in a pipeline: usage on --help, queries from piped stdin, plain text when redirected.</summary>
public sealed class SearchSampleTests
{
    private const char Escape = '\u001b';

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("--corpus", "somewhere", "--help")]
    public void Help_prints_the_usage_on_stdout(params string[] args)
    {
        var result = CliRun.RunTool("Embeddings.Search", null, args);
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("usage: Embeddings.Search --corpus", result.Output, StringComparison.Ordinal);
        Assert.Contains("--query", result.Output, StringComparison.Ordinal);
        Assert.Equal("", result.Error);
    }

    [FixtureFact]
    public void Queries_from_piped_stdin_give_plain_result_tables()
    {
        var corpus = Directory.CreateTempSubdirectory("search-corpus-");
        try
        {
            File.WriteAllText(Path.Combine(corpus.FullName, "animals.txt"), "The cat sleeps on the sofa.\n\nDogs bark at the mail carrier.\n");
            File.WriteAllText(Path.Combine(corpus.FullName, "space.md"), "Rockets carry satellites into orbit.\n\nThe moon circles the earth.\n");

            var result = CliRun.RunTool("Embeddings.Search", "where does the cat sleep?\n\nrockets and orbits\n",
                "--corpus", corpus.FullName, "--model", Fixtures.ModelDir("bert-mean-tiny"), "--top", "2");

            Assert.True(result.ExitCode == 0, result.Error);
            Assert.DoesNotContain(Escape, result.Output);
            Assert.DoesNotContain(Escape, result.Error);
            Assert.Contains("where does the cat sleep?", result.Output, StringComparison.Ordinal);
            Assert.Contains("rockets and orbits", result.Output, StringComparison.Ordinal);
            Assert.Contains("animals.txt:", result.Output, StringComparison.Ordinal);
            // Loading and indexing messages stay off stdout, so the results can be redirected on their own.
            Assert.DoesNotContain("Indexed", result.Output, StringComparison.Ordinal);
            Assert.Contains("Indexed 4 passages", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            corpus.Delete(recursive: true);
        }
    }
}
