using System.Diagnostics;

namespace Embeddings.Compare;

/// <summary>Wall-clock time of one pass.</summary>
internal static class Timing
{
    /// <summary>Runs <paramref name="pass"/> once and returns the seconds it took.</summary>
    public static double Seconds(Action pass)
    {
        long start = Stopwatch.GetTimestamp();
        pass();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
