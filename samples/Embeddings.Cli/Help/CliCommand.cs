namespace Embeddings.Cli.Help;

/// <summary>
/// A command of the tool: its name, what it does, its options and output line for the help, and how it runs.
/// Each command file declares one, so a new command brings its help with it.
/// </summary>
/// <param name="Name">The first argument that selects it (<c>embed</c>).</param>
/// <param name="Summary">One line for the command list.</param>
/// <param name="Options">Every option it accepts, in the order the help lists them.</param>
/// <param name="Output">The shape of its output lines (and input lines, where they differ from <c>{"text": ...}</c>).</param>
/// <param name="Run">Runs it on the parsed options and the opened input and output; returns the exit code.</param>
internal sealed record CliCommand(string Name, string Summary, IReadOnlyList<CliOption> Options, string Output, Func<CommandLine, CommandIO, int> Run);
