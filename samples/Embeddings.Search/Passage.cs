namespace Embeddings.Search;

/// <summary>One searchable piece of text and where it came from (a file and a paragraph or line number).</summary>
internal sealed record Passage(string Source, int Number, string Text);
