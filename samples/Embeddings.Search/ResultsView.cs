using Spectre.Console;

namespace Embeddings.Search;

/// <summary>Shows one query's hits as a table: rank, score, source and the start of the passage.</summary>
internal static class ResultsView
{
    private const int SnippetLength = 220;

    public static void Show(IAnsiConsole console, string query, IReadOnlyList<(Passage Passage, float Score)> hits)
    {
        var table = new Table().Border(TableBorder.Rounded).Expand()
            .Title($"[bold]{Markup.Escape(query)}[/]")
            .AddColumn(new TableColumn("#").RightAligned())
            .AddColumn(new TableColumn("score").RightAligned())
            .AddColumn("source")
            .AddColumn("passage");
        int rank = 0;
        foreach (var (passage, score) in hits)
        {
            table.AddRow(
                (++rank).ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"[green]{score:F3}[/]",
                Markup.Escape($"{passage.Source}:{passage.Number}"),
                Markup.Escape(Snippet(passage.Text)));
        }
        console.Write(table);
    }

    private static string Snippet(string text)
    {
        string flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= SnippetLength ? flat : flat[..SnippetLength] + "…";
    }
}
