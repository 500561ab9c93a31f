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

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

try
{
    var passages = CorpusReader.Read(arguments.Corpus, arguments.Limit);
    if (passages.Count == 0)
    {
        AnsiConsole.MarkupLine($"[red]No passages found in {Markup.Escape(arguments.Corpus)}[/] (looked for .jsonl, .txt and .md files).");
        return 1;
    }

    using var embedder = await AnsiConsole.Status().StartAsync($"Loading {Markup.Escape(arguments.Model)}…",
        _ => OnnxEmbedder.CreateAsync(arguments.Model, cancellationToken: cancel.Token));
    AnsiConsole.MarkupLine($"Model [bold]{Markup.Escape(embedder.Info.ModelId)}[/]: {embedder.Info.Dimensions} dimensions, {embedder.Info.Similarity} similarity.");

    var stopwatch = Stopwatch.StartNew();
    var index = await AnsiConsole.Progress()
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
        .StartAsync(async context =>
        {
            var task = context.AddTask($"Embedding {passages.Count:N0} passages", maxValue: passages.Count);
            var progress = new InlineProgress<EmbeddingProgress>(p => task.Value = p.Completed);
            var built = await SearchIndex.BuildAsync(embedder, passages, progress, cancel.Token);
            task.Value = passages.Count;
            return built;
        });
    AnsiConsole.MarkupLine($"Indexed {passages.Count:N0} passages in {stopwatch.Elapsed.TotalSeconds:F1} s ({passages.Count / stopwatch.Elapsed.TotalSeconds:F0} passages/s).");

    if (arguments.Queries.Count > 0)
    {
        foreach (string query in arguments.Queries)
            ResultsView.Show(query, await index.SearchAsync(query, arguments.Top, cancel.Token));
        return 0;
    }

    while (!cancel.IsCancellationRequested)
    {
        string query = AnsiConsole.Prompt(new TextPrompt<string>("[bold]Query[/] (empty to quit):").AllowEmpty());
        if (string.IsNullOrWhiteSpace(query)) break;
        ResultsView.Show(query, await index.SearchAsync(query, arguments.Top, cancel.Token));
    }
    return 0;
}
catch (OperationCanceledException)
{
    return 130;
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ModelConfigurationException
                               or TokenizerFormatException or HubException or OnnxRuntimeException or OnnxRuntimeNotFoundException or NotSupportedException)
{
    AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
    return 1;
}
