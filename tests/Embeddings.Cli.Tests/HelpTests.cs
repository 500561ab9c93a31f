using System.Text.RegularExpressions;

namespace Embeddings.Cli.Tests;

/// <summary>Help and version: on stdout, exit 0, without a model (the hub is unreachable in these runs).</summary>
public sealed class HelpTests
{
    public static TheoryData<string, string> CommandsAndHelpFlags => new()
    {
        { "tokenize", "--help" }, { "tokenize", "-h" },
        { "embed", "--help" }, { "embed", "-h" },
        { "tokens", "--help" }, { "sparse", "-h" }, { "chunk", "--help" },
    };

    [Fact]
    public void Top_level_help_lists_every_command_on_stdout()
    {
        foreach (var flag in new[] { "--help", "-h", "help" })
        {
            var result = CliRun.Run(null, flag);
            Assert.Equal(0, result.ExitCode);
            Assert.Equal("", result.Error);
            foreach (var command in new[] { "tokenize", "embed", "tokens", "sparse", "chunk" })
                Assert.Matches(new Regex($"^  {command} ", RegexOptions.Multiline), result.Output);
        }
    }

    [Theory]
    [MemberData(nameof(CommandsAndHelpFlags))]
    public void Command_help_is_on_stdout_and_loads_no_model(string command, string flag)
    {
        // No --model: the default model would be downloaded from the (closed) hub if help tried to load it.
        var result = CliRun.Run(null, command, flag);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.StartsWith($"usage: Embeddings.Cli {command} [options]", result.Output, StringComparison.Ordinal);
        Assert.Contains("--progress", result.Output, StringComparison.Ordinal);
        Assert.Contains("output:", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Embed_help_lists_its_own_options_and_output_shapes()
    {
        var result = CliRun.Run(null, "embed", "--model", "no/such-model", "--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--pooling", "--normalize", "--dimensions", "--prompt", "--precision", "--encoding", "--truncate", "--model", "--input" })
            Assert.Matches(new Regex($"^  {Regex.Escape(option)} ", RegexOptions.Multiline), result.Output);
        Assert.Contains("{\"embedding\":[-128,...,127]}", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("--chunker", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_for_a_command_can_also_be_asked_for_by_name()
    {
        var byFlag = CliRun.Run(null, "sparse", "--help");
        var byName = CliRun.Run(null, "help", "sparse");
        Assert.Equal(0, byName.ExitCode);
        Assert.Equal(byFlag.Output, byName.Output);
    }

    [Fact]
    public void Version_is_the_informational_version_on_stdout()
    {
        var result = CliRun.Run(null, "--version");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.Matches(@"^\d+\.\d+\.\d+\S*\n$", result.Output);
    }

    [Fact]
    public void No_arguments_print_the_usage_on_stderr_with_a_usage_exit_code()
    {
        var result = CliRun.Run(null);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.StartsWith("usage:", result.Error, StringComparison.Ordinal);
    }
}
