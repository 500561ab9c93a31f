using Embeddings.Tokenization;

namespace Embeddings.Cli.Feedback;

/// <summary>
/// <c>--truncate error|right|left</c>: what happens to texts over the model's limit, and how many were cut
/// (reported on stderr at the end, so no text is shortened silently).
/// </summary>
internal sealed class TruncationChoice
{
    private int _truncated;
    private int _texts;

    private TruncationChoice(OverlongInputPolicy policy, SequenceSide? direction)
    {
        Policy = policy;
        Direction = direction;
    }

    public OverlongInputPolicy Policy { get; }

    /// <summary>The end to cut; null follows the model.</summary>
    public SequenceSide? Direction { get; }

    public static TruncationChoice Parse(CommandLine args) => args.Value("--truncate") switch
    {
        null => new(OverlongInputPolicy.Truncate, null),
        "right" => new(OverlongInputPolicy.Truncate, SequenceSide.Right),
        "left" => new(OverlongInputPolicy.Truncate, SequenceSide.Left),
        "error" => new(OverlongInputPolicy.Error, null),
        var other => throw new CliException($"unknown --truncate '{other}'; use error, right or left", 2),
    };

    /// <summary>Sets the policy and direction on a call's options.</summary>
    public void Apply(BatchingOptions options)
    {
        options.Truncation = Policy;
        options.TruncationSide = Direction;
    }

    /// <summary>Counts a group's texts and how many of them were cut (thread-safe).</summary>
    public void Count(int texts, int truncated)
    {
        Interlocked.Add(ref _texts, texts);
        Interlocked.Add(ref _truncated, truncated);
    }

    /// <summary>The stderr line for the cut texts, or nothing when none was cut.</summary>
    public void Report(TextWriter error, int maxTokens)
    {
        if (_truncated == 0) return;
        string side = Direction switch
        {
            SequenceSide.Left => "their starts were cut",
            SequenceSide.Right => "their ends were cut",
            _ => "they were cut on the model's side",
        };
        error.WriteLine($"{_truncated} of {_texts} texts were longer than the model's limit of {maxTokens} tokens; {side} (--truncate error refuses them)");
    }
}
