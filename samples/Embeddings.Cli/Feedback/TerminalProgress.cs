using System.Globalization;
using Spectre.Console;

namespace Embeddings.Cli.Feedback;

/// <summary>Progress on a terminal: a Spectre.Console task whose bar and <c>done/total</c> label follow the count.</summary>
internal sealed class TerminalProgress(ProgressTask task, string name, int total) : ICountProgress
{
    private readonly Lock _lock = new();
    private int _last = -1;

    public void Report(int done)
    {
        lock (_lock)
        {
            if (done <= _last) return;
            _last = done;
            task.Value = done;
            task.Description = Label(name, done, total);
        }
    }

    public static string Label(string name, int done, int total) =>
        string.Create(CultureInfo.InvariantCulture, $"{name} {done}/{total}");
}
