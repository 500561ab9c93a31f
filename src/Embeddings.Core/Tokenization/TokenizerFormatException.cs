namespace Embeddings.Tokenization;

/// <summary>
/// Thrown when a tokenizer file cannot be read: malformed JSON, a missing or mistyped field, or values that
/// contradict each other (for example a merge whose parts are not in the vocabulary).
/// </summary>
public sealed class TokenizerFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="sourceName">The file (or other source) being read.</param>
    /// <param name="location">Where in the document the problem is, as a JSON path such as <c>$.model.vocab</c>.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public TokenizerFormatException(string sourceName, string location, string problem, Exception? inner = null)
        : base($"{sourceName}: {location}: {problem}", inner)
    {
        SourceName = sourceName;
        Location = location;
        Problem = problem;
    }

    /// <summary>The file (or other source) being read.</summary>
    public string SourceName { get; }

    /// <summary>Where in the document the problem is (a JSON path).</summary>
    public string Location { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}
