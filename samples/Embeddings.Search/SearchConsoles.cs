using Spectre.Console;

namespace Embeddings.Search;

/// <summary>
/// The two consoles of the sample: results on stdout, everything else (loading, progress, prompts, errors) on
/// stderr, so <c>Embeddings.Search ... &gt; hits.txt</c> keeps only the results. A redirected stream gets plain
/// text (no escape codes, no cursor movement); <c>NO_COLOR</c> turns colours off on a terminal too.
/// </summary>
internal sealed class SearchConsoles
{
    private SearchConsoles(IAnsiConsole results, IAnsiConsole status)
    {
        Results = results;
        Status = status;
    }

    /// <summary>stdout: the result tables.</summary>
    public IAnsiConsole Results { get; }

    /// <summary>stderr: model loading, the progress bar, messages and the interactive prompt.</summary>
    public IAnsiConsole Status { get; }

    public static SearchConsoles Create() => new(
        For(Console.Out, Console.IsOutputRedirected),
        For(Console.Error, Console.IsErrorRedirected));

    private static IAnsiConsole For(TextWriter writer, bool redirected)
    {
        bool noColor = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected || noColor ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            // Spectre's own detection also looks at stdin, which would hide the bar when queries are piped in.
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Yes,
        });
    }
}
