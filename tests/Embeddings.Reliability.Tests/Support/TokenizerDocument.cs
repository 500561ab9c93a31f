using System.Text.Json.Nodes;

namespace Embeddings.Reliability.Tests.Support;

/// <summary>
/// A tokenizer.json split for fast mutation: its small skeleton (every section but the vocabulary and the merges)
/// is parsed and edited per case, and the large vocabulary and merges are spliced back in as the original text.
/// Editing the skeleton can still remove or replace them whole; <see cref="WithVocabularyEntry"/> edits inside.
/// </summary>
internal sealed class TokenizerDocument
{
    private const string VocabularyMark = "\u0001vocab\u0001";
    private const string MergesMark = "\u0001merges\u0001";
    private static readonly string VocabularyPlaceholder = JsonValue.Create(VocabularyMark).ToJsonString();
    private static readonly string MergesPlaceholder = JsonValue.Create(MergesMark).ToJsonString();

    private readonly string _skeleton;
    private readonly string? _vocabulary;
    private readonly string? _merges;

    private TokenizerDocument(string skeleton, string? vocabulary, string? merges)
    {
        _skeleton = skeleton;
        _vocabulary = vocabulary;
        _merges = merges;
    }

    /// <summary>True when the vocabulary is a list of [piece, score] pairs (Unigram) rather than an object.</summary>
    public bool VocabularyIsList => _vocabulary is ['[', ..];

    public static TokenizerDocument Load(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        var model = root["model"]!.AsObject();
        string? vocabulary = Take(model, "vocab", VocabularyMark);
        string? merges = Take(model, "merges", MergesMark);
        return new TokenizerDocument(root.ToJsonString(), vocabulary, merges);
    }

    /// <summary>The document with <paramref name="edits"/> applied to its skeleton.</summary>
    public string With(IEnumerable<JsonEdit> edits) => Assemble(edits, _vocabulary);

    /// <summary>The document with one more vocabulary entry (<c>"key": value</c>, or <c>[key, value]</c> for Unigram) placed first.</summary>
    public string WithVocabularyEntry(string keyJson, string valueJson)
    {
        if (_vocabulary is null) return Assemble([], null);
        string entry = VocabularyIsList ? $"[{keyJson},{valueJson}]" : $"{keyJson}:{valueJson}";
        string rest = _vocabulary[1..].TrimStart();
        string separator = rest is [']', ..] or ['}', ..] ? "" : ",";
        return Assemble([], $"{_vocabulary[0]}{entry}{separator}{rest}");
    }

    private string Assemble(IEnumerable<JsonEdit> edits, string? vocabulary)
    {
        JsonNode? root = JsonNode.Parse(_skeleton);
        foreach (var edit in edits) root = edit.ApplyTo(root);
        string text = root?.ToJsonString() ?? "null";
        if (vocabulary is not null) text = text.Replace(VocabularyPlaceholder, vocabulary, StringComparison.Ordinal);
        if (_merges is not null) text = text.Replace(MergesPlaceholder, _merges, StringComparison.Ordinal);
        return JsonEdit.Finish(text);
    }

    private static string? Take(JsonObject model, string name, string mark)
    {
        if (model[name] is not { } node) return null;
        string text = node.ToJsonString();
        model[name] = mark;
        return text;
    }
}
