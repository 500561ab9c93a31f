using Embeddings.Tokenization;

namespace Embeddings.InputEncoding;

/// <summary>Texts turned into model inputs: one token sequence per text, in the caller's order.</summary>
internal sealed class EncodedInputs
{
    private readonly Encoding[]? _encodings;
    private readonly bool[] _truncated;

    public EncodedInputs(Encoding[]? encodings, int[][] ids, int[][] typeIds, bool[] truncated, int promptTokens)
    {
        _encodings = encodings;
        Ids = ids;
        TypeIds = typeIds;
        _truncated = truncated;
        PromptTokens = promptTokens;
    }

    /// <summary>The full encodings (tokens, offsets, special-token masks), when they were built.</summary>
    /// <exception cref="InvalidOperationException">The inputs were encoded as ids only.</exception>
    public Encoding[] Encodings => _encodings ?? throw new InvalidOperationException("These inputs were encoded as ids only; use InputEncoder.Encode for full encodings.");

    /// <summary>Token ids per text.</summary>
    public int[][] Ids { get; }

    /// <summary>Segment ids per text.</summary>
    public int[][] TypeIds { get; }

    /// <summary>Leading tokens of every sequence that come from the prompt (for <c>include_prompt: false</c>).</summary>
    public int PromptTokens { get; }

    /// <summary>Number of texts.</summary>
    public int Count => Ids.Length;

    /// <summary>Token count per text.</summary>
    public int[] TokenCounts() => Ids.Select(ids => ids.Length).ToArray();

    /// <summary>Whether text <paramref name="index"/> was cut to fit.</summary>
    public bool WasTruncated(int index) => _truncated[index];

    /// <summary>The indexes of the texts that were truncated, ascending.</summary>
    public int[] TruncatedIndexes() => Enumerable.Range(0, Count).Where(i => _truncated[i]).ToArray();
}
