namespace Embeddings.Cli;

/// <summary>A problem with the command line or the input, reported on stderr as one line with an exit code.</summary>
internal sealed class CliException(string message, int exitCode = 1) : Exception(ErrorText.Flatten(message))
{
    /// <summary>The process exit code: 2 for usage errors, 1 for bad input or failures.</summary>
    public int ExitCode { get; } = exitCode;
}
