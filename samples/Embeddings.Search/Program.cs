using System.Diagnostics;
using Embeddings;
using Embeddings.Hub;
using Embeddings.Models;
using Embeddings.Onnx;
using Embeddings.Tokenization;
using Embeddings.Search;
using Spectre.Console;

// Semantic search over a folder of text files:
//   dotnet run --project samples/Embeddings.Search -c Release -- --corpus ../shared/corpus --limit 3000 --query "how do I mount a disk?"
// Queries come from --query, else from piped stdin (one per line), else from an interactive prompt.
if (SearchArguments.WantsHelp(args))
{
    Console.Out.WriteLine(SearchArguments.Usage);
    return 0;
}

SearchArguments arguments;
try
{
    arguments = SearchArguments.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(SearchArguments.Usage);
    return 2;
}

var consoles = SearchConsoles.Create();
var status = consoles.Status;
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

try
{
    var passages = CorpusReader.Read(arguments.Corpus, arguments.Limit);
    if (passages.Count == 0)
    {
        status.MarkupLine($"[red]No passages found in {Markup.Escape(arguments.Corpus)}[/] (looked for .jsonl, .txt and .md files).");
        return 1;
    }

    using var embedder = await status.Status().StartAsync($"Loading {Markup.Escape(arguments.Model)}…",
        _ => OnnxEmbedder.CreateAsync(arguments.Model, cancellationToken: cancel.Token));
    status.MarkupLine($"Model [bold]{Markup.Escape(embedder.Info.ModelId)}[/]: {embedder.Info.Dimensions} dimensions, {embedder.Info.Similarity} similarity.");

    var stopwatch = Stopwatch.StartNew();
    var index = await status.Progress()
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
        .StartAsync(async context =>
        {
            var task = context.AddTask($"Embedding {passages.Count:N0} passages", maxValue: passages.Count);
            var progress = new InlineProgress<EmbeddingProgress>(p => task.Value = p.Completed);
            var built = await SearchIndex.BuildAsync(embedder, passages, progress, cancel.Token);
            task.Value = passages.Count;
            return built;
        });
    status.MarkupLine($"Indexed {passages.Count:N0} passages in {stopwatch.Elapsed.TotalSeconds:F1} s ({passages.Count / stopwatch.Elapsed.TotalSeconds:F0} passages/s).");

    foreach (string query in Queries(arguments, status, cancel.Token))
        ResultsView.Show(consoles.Results, query, await index.SearchAsync(query, arguments.Top, cancel.Token));
    return 0;
}
catch (OperationCanceledException)
{
    return 130;
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ModelConfigurationException
                               or TokenizerFormatException or HubException or OnnxRuntimeException or OnnxRuntimeNotFoundException or NotSupportedException)
{
    status.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
    return 1;
}

// The --query values; else each non-blank line of piped stdin; else queries typed at a prompt until an empty one.
static IEnumerable<string> Queries(SearchArguments arguments, IAnsiConsole status, CancellationToken cancellationToken)
{
    if (arguments.Queries.Count > 0)
    {
        foreach (string query in arguments.Queries) yield return query;
        yield break;
    }
    if (Console.IsInputRedirected)
    {
        while (!cancellationToken.IsCancellationRequested && Console.In.ReadLine() is { } line)
            if (!string.IsNullOrWhiteSpace(line)) yield return line.Trim();
        yield break;
    }
    while (!cancellationToken.IsCancellationRequested)
    {
        string query = status.Prompt(new TextPrompt<string>("[bold]Query[/] (empty to quit):").AllowEmpty());
        if (string.IsNullOrWhiteSpace(query)) yield break;
        yield return query;
    }
}
