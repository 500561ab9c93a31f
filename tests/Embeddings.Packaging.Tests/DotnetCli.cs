using System.Diagnostics;
using System.Text;

namespace Embeddings.Packaging.Tests;

/// <summary>
/// Runs the .NET CLI as a child process the way a developer would, isolated from the test host: no MSBuild
/// settings inherited from the running build, no build servers or reused nodes left behind, output captured.
/// </summary>
internal static class DotnetCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>The dotnet executable that runs these tests (the SDK sets DOTNET_HOST_PATH for its children).</summary>
    private static string Executable => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> and returns its standard output.</summary>
    /// <exception cref="Xunit.Sdk.XunitException">It failed or timed out; the message holds the command and all its output.</exception>
    public static string Run(string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        RunProgram(Executable, workingDirectory, arguments, environment);

    /// <summary>Runs <paramref name="program"/> (e.g. a published application) the same way and returns its standard output.</summary>
    /// <exception cref="Xunit.Sdk.XunitException">It failed or timed out; the message holds the command and all its output.</exception>
    public static string RunProgram(string program, string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The test host may run inside `dotnet test`, whose MSBuild variables would point the child at the parent's build.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToArray())
            start.Environment.Remove(name);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        var output = new StringBuilder();
        var errors = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"`{program} {string.Join(' ', start.ArgumentList)}` did not finish within {Timeout}.\n{output}\n{errors}");
        }
        process.WaitForExit(); // drains the output streams
        if (process.ExitCode != 0)
            throw new Xunit.Sdk.XunitException($"`{program} {string.Join(' ', start.ArgumentList)}` failed with exit code {process.ExitCode}.\n{output}\n{errors}");
        return output.ToString();
    }
}
