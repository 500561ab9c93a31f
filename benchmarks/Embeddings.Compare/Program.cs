using Embeddings.Compare;

// One measurement per process, so that peak memory belongs to one measurement.
var commands = new Dictionary<string, Func<CommandLine, int>>(StringComparer.Ordinal)
{
    ["prepare"] = PrepareCommand.Run,
    ["throughput"] = ThroughputCommand.Run,
    ["padding"] = PaddingCommand.Run,
    ["sorting"] = SortingCommand.Run,
    ["budgets"] = BudgetCommand.Run,
    ["steady"] = SteadyStateCommand.Run,
    ["corpus-memory"] = CorpusMemoryCommand.Run,
    ["int8-accuracy"] = Embeddings.Compare.Quantization.Int8AccuracyCommand.Run,
};

if (args.Length == 0 || !commands.TryGetValue(args[0], out var command))
{
    Console.Error.WriteLine($"usage: Embeddings.Compare <{string.Join("|", commands.Keys)}> [--name value ...]; see docs/benchmarks.md.");
    return 2;
}
try
{
    return command(new CommandLine(args[1..]));
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
