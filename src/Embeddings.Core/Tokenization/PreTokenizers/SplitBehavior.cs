using Embeddings.Tokenization.Serialization;

namespace Embeddings.Tokenization.PreTokenizers;

/// <summary>What happens to the delimiters found when splitting.</summary>
internal enum SplitBehavior
{
    /// <summary>Delimiters are dropped.</summary>
    Removed,

    /// <summary>Each delimiter becomes a piece of its own.</summary>
    Isolated,

    /// <summary>A delimiter is attached to the piece before it.</summary>
    MergedWithPrevious,

    /// <summary>A delimiter is attached to the piece after it.</summary>
    MergedWithNext,

    /// <summary>Consecutive delimiters form one piece.</summary>
    Contiguous,
}

/// <summary>Reading <see cref="SplitBehavior"/> from JSON.</summary>
internal static class SplitBehaviorJson
{
    public static SplitBehavior Parse(JsonNode json) => json.AsString() switch
    {
        "Removed" => SplitBehavior.Removed,
        "Isolated" => SplitBehavior.Isolated,
        "MergedWithPrevious" => SplitBehavior.MergedWithPrevious,
        "MergedWithNext" => SplitBehavior.MergedWithNext,
        "Contiguous" => SplitBehavior.Contiguous,
        var other => throw json.Error($"unknown split behavior '{other}'"),
    };
}
