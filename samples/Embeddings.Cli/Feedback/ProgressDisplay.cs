using Spectre.Console;

namespace Embeddings.Cli.Feedback;

/// <summary>
/// Runs a command's work with the progress <c>--progress</c> asks for: a bar when stderr is a terminal, plain
/// <c>done/total</c> lines otherwise (logs, pipes, CI). Either way it ends at <c>total/total</c> once the work is done.
/// </summary>
internal static class ProgressDisplay
{
    /// <param name="enabled">Whether <c>--progress</c> was given; without it the work runs with no progress.</param>
    /// <param name="name">The command name, shown beside the bar.</param>
    /// <param name="total">Input lines the work will go through.</param>
    /// <param name="work">The work, given the progress to tell (null when disabled).</param>
    public static void Run(bool enabled, string name, Func<int> total, Action<ICountProgress?> work)
    {
        if (!enabled)
        {
            work(null);
            return;
        }
        int count = total();
        if (Console.IsErrorRedirected)
        {
            var plain = new PlainProgress(Console.Error, count);
            work(plain);
            plain.Report(count);
            return;
        }
        // Interactive: stderr is a terminal here; Spectre's own detection also looks at stdin, which is usually piped.
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error), Interactive = InteractionSupport.Yes });
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(TerminalProgress.Label(name, 0, count), maxValue: Math.Max(count, 1));
                var bar = new TerminalProgress(task, name, count);
                work(bar);
                bar.Report(count);
                if (count == 0) task.Value = 1;
            });
    }
}
