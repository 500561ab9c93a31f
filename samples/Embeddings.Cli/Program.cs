using Embeddings.Cli;
using Embeddings.Cli.Commands;
using Embeddings.Cli.Help;

// Embeddings command-line tool: JSON Lines in, JSON Lines out. The first argument names the command; each
// command declares its own options and help (see Help/CliCommand.cs).
CliCommand[] commands =
[
    TokenizeCommand.Command,
    EmbedCommand.Command,
    TokensCommand.Command,
    SparseCommand.Command,
    ChunkCommand.Command,
    RerankCommand.Command,
    MultiVectorCommand.Command,
];

if (args.Length == 0)
{
    HelpText.WriteOverview(Console.Error, commands);
    return 2;
}
if (args[0] is "-h" or "--help" or "help")
{
    var about = args.Length > 1 ? commands.FirstOrDefault(c => c.Name == args[1]) : null;
    if (about is null) HelpText.WriteOverview(Console.Out, commands);
    else HelpText.WriteCommand(Console.Out, about);
    return 0;
}
if (args[0] is "--version")
{
    Console.Out.WriteLine(HelpText.Version);
    return 0;
}

var command = commands.FirstOrDefault(c => c.Name == args[0]);
if (command is null)
{
    Console.Error.WriteLine($"unknown command '{args[0]}' (try --help)");
    return 2;
}
if (HelpText.Requested(args.AsSpan(1)))
{
    HelpText.WriteCommand(Console.Out, command);
    return 0;
}

try
{
    var commandLine = CommandLine.Parse(args.AsSpan(1));
    using var io = CommandIO.Open(commandLine.Value("--input"));
    return command.Run(commandLine, io);
}
catch (CliException e)
{
    Console.Error.WriteLine(e.Message);
    return e.ExitCode;
}
catch (Exception e) when (e is Embeddings.Remote.RemoteEmbedderException or TimeoutException or Embeddings.EmbeddingQueueFullException)
{
    // --endpoint: the server refused, failed or could not be reached after the retries.
    Console.Error.WriteLine(e.Message);
    return 1;
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    // Anything else the library throws ends the run with one line and exit code 1, never an unhandled-exception abort.
    Console.Error.WriteLine($"error: {TextBatches.Describe(e)}");
    return 1;
}
