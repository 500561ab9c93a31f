using System.Globalization;

namespace Embeddings.Cli.Feedback;

/// <summary>Progress for logs and pipes: one <c>done/total</c> line each time the count moves.</summary>
internal sealed class PlainProgress(TextWriter error, int total) : ICountProgress
{
    private readonly Lock _lock = new();
    private int _last = -1;

    public void Report(int done)
    {
        lock (_lock)
        {
            if (done <= _last) return;
            _last = done;
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{done}/{total}"));
            error.Flush();
        }
    }
}
