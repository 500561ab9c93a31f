using System.Diagnostics;
using System.Text;

namespace Embeddings.Cli.Tests;

/// <summary>One run of the tool: exit code, stdout and stderr.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// Runs the tool (built beside the tests) as its own process with redirected streams, so stderr is not a
/// terminal, exactly as in a pipeline. The Hugging Face hub is pointed at a closed local port, so a run that
/// tried to download would fail rather than reach the network.
/// </summary>
internal static class CliRun
{
    public static CliResult Run(string? stdin, params string[] args) => RunTool("Embeddings.Cli", stdin, args);

    /// <summary>Runs one of the tools built beside the tests (<c>Embeddings.Cli</c>, <c>Embeddings.Search</c>).</summary>
    public static CliResult RunTool(string tool, string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, tool + ".dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["HF_ENDPOINT"] = "http://127.0.0.1:9";
        start.Environment["HF_HOME"] = Path.Combine(Path.GetTempPath(), "embeddings-cli-tests-empty-hf-home");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using (var input = process.StandardInput)
        {
            if (stdin is not null) input.Write(stdin);
        }
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', args)} did not finish");
        }
        return new CliResult(process.ExitCode, output.Result.Replace("\r\n", "\n", StringComparison.Ordinal),
            error.Result.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    /// <summary>JSON Lines of <c>{"text": ...}</c> records.</summary>
    public static string TextLines(IEnumerable<string> texts) =>
        string.Concat(texts.Select(t => System.Text.Json.JsonSerializer.Serialize(new { text = t }) + "\n"));
}
