using Embeddings.Cli;
using Embeddings.Cli.Commands;

// Embeddings command-line tool: JSON Lines in, JSON Lines out. The first argument names the command.
var commands = new Dictionary<string, Func<CommandLine, CommandIO, int>>(StringComparer.Ordinal)
{
    ["tokenize"] = TokenizeCommand.Run,
    ["embed"] = EmbedCommand.Run,
    ["tokens"] = TokensCommand.Run,
    ["sparse"] = SparseCommand.Run,
    ["chunk"] = ChunkCommand.Run,
    ["rerank"] = RerankCommand.Run,
    ["multivector"] = MultiVectorCommand.Run,
};

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.Error.WriteLine("usage: Embeddings.Cli <command> [options]");
    Console.Error.WriteLine("commands:");
    Console.Error.WriteLine("  tokenize --model DIR | --tokenizer FILE [--no-special] [--max-length N] [--input FILE]");
    Console.Error.WriteLine("  embed --model DIR [--pooling cls|mean|max|last] [--normalize true|false] [--dimensions N] [--prompt NAME]");
    Console.Error.WriteLine("        [--max-batch-tokens N] [--threads N] [--input FILE]");
    Console.Error.WriteLine("  tokens --model DIR [--no-special] [--normalize true|false]");
    Console.Error.WriteLine("  sparse --model DIR [--top-k N]");
    Console.Error.WriteLine("  chunk --model DIR [--chunker sentences|tokens:N] [--max-length N] [--normalize true|false]");
    Console.Error.WriteLine("  rerank --model DIR [--raw-scores] [--top-k N]   (input lines {\"query\": ..., \"documents\": [...]})");
    Console.Error.WriteLine("  multivector --model DIR [--role query|document]");
    Console.Error.WriteLine("--model takes a folder or a Hugging Face id (org/name, with --revision); default " + Embeddings.Onnx.OnnxEmbedder.DefaultModelId + ".");
    return args.Length == 0 ? 2 : 0;
}

if (!commands.TryGetValue(args[0], out var command))
{
    Console.Error.WriteLine($"unknown command '{args[0]}' (try --help)");
    return 2;
}

try
{
    var commandLine = CommandLine.Parse(args.AsSpan(1));
    using var io = CommandIO.Open(commandLine.Value("--input"));
    return command(commandLine, io);
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
