using System.Globalization;
using Embeddings.Onnx;

namespace Embeddings.Search;

/// <summary>The command line: <c>--corpus PATH [--model DIR|org/name] [--query TEXT]… [--top N] [--limit N]</c>.</summary>
internal sealed record SearchArguments
{
    public const string Usage =
        "usage: Embeddings.Search --corpus FOLDER|FILE [--model DIR|org/name] [--query TEXT]... [--top N] [--limit N]\n" +
        "Results go to stdout (plain text when redirected; NO_COLOR turns colours off), progress and messages to stderr.\n" +
        "  --corpus  text files (.txt, .md: one passage per paragraph) or JSON Lines (.jsonl: one {\"text\": ...} per line)\n" +
        "  --model   a model folder or Hugging Face id (default " + OnnxEmbedder.DefaultModelId + ")\n" +
        "  --query   search for this and exit (repeatable); without it, queries are read from piped stdin (one per line)\n" +
        "            or typed at a prompt (an empty query quits)\n" +
        "  --top     hits to show per query (default 5)\n" +
        "  --limit   index at most this many passages (default: all)\n" +
        "  --help    show this help (also -h)";

    public required string Corpus { get; init; }

    public string Model { get; init; } = OnnxEmbedder.DefaultModelId;

    public IReadOnlyList<string> Queries { get; init; } = [];

    public int Top { get; init; } = 5;

    public int? Limit { get; init; }

    /// <summary>Whether the arguments ask for the usage (<c>--help</c> or <c>-h</c> as an option name, not as a value).</summary>
    public static bool WantsHelp(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i += 2)
            if (args[i] is "--help" or "-h") return true;
        return false;
    }

    /// <summary>Parses the arguments.</summary>
    /// <exception cref="ArgumentException">An option is unknown, repeated (other than --query) or malformed.</exception>
    public static SearchArguments Parse(IReadOnlyList<string> args)
    {
        string? corpus = null, model = null;
        int? top = null, limit = null;
        var queries = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--corpus": corpus = Once(name, corpus, value); break;
                case "--model": model = Once(name, model, value); break;
                case "--query": queries.Add(value); break;
                case "--top": top = Once(name, top, Positive(name, value)); break;
                case "--limit": limit = Once(name, limit, Positive(name, value)); break;
                default: throw new ArgumentException($"Unknown option {name}.");
            }
        }
        return new SearchArguments
        {
            Corpus = corpus ?? throw new ArgumentException("--corpus is required."),
            Model = model ?? OnnxEmbedder.DefaultModelId,
            Queries = queries,
            Top = top ?? 5,
            Limit = limit,
        };
    }

    private static T Once<T>(string name, T? current, T value) =>
        current is null ? value : throw new ArgumentException($"{name} is given twice.");

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number >= 1
            ? number
            : throw new ArgumentException($"{name} needs a whole number of at least 1; got \"{value}\".");
}
