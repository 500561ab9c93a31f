using System.Globalization;
using Embeddings.TestModels;

namespace Embeddings.Soak;

/// <summary>The command line: <c>[--model DIR] [--calls N] [--samples K] [--threads T] [--queue]</c>.</summary>
internal sealed record SoakOptions(string Model, int Calls, int Samples, int Threads, bool Queue)
{
    public const string Usage =
        "usage: Embeddings.Soak [--model DIR] [--calls N] [--samples K] [--threads T] [--queue]\n" +
        "  --model    a model folder (default: the bert-mean-tiny fixture)\n" +
        "  --calls    calls to make after the warm-up (default 10000)\n" +
        "  --samples  measurements taken along the way (default 10)\n" +
        "  --threads  concurrent callers (default 1)\n" +
        "  --queue    enable the micro-batching queue and call the asynchronous methods";

    /// <exception cref="ArgumentException">An argument is unknown or malformed (the message says which).</exception>
    public static SoakOptions Parse(IReadOnlyList<string> args)
    {
        string? model = null;
        int calls = 10_000, samples = 10, threads = 1;
        bool queue = false;
        for (int i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Positive() => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
                ? n : throw new ArgumentException($"{args[i - 1]} takes a positive whole number, not \"{args[i]}\".");
            switch (args[i])
            {
                case "--model": model = Value(); break;
                case "--calls": calls = Positive(); break;
                case "--samples": samples = Positive(); break;
                case "--threads": threads = Positive(); break;
                case "--queue": queue = true; break;
                default: throw new ArgumentException($"Unknown argument \"{args[i]}\".");
            }
        }
        return new SoakOptions(model ?? Fixtures.ModelDir("bert-mean-tiny"), calls, Math.Min(samples, calls), threads, queue);
    }
}
