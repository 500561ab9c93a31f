using Embeddings.Tokenization.Serialization;
using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.PreTokenizers;

/// <summary>When the Metaspace replacement is put in front of a piece.</summary>
internal enum PrependScheme
{
    /// <summary>Always (unless the piece already starts with it).</summary>
    Always,

    /// <summary>Only for the piece that starts the original text.</summary>
    First,

    /// <summary>Never.</summary>
    Never,
}

/// <summary>
/// The <c>Metaspace</c> pre-tokenizer (SentencePiece style): spaces become the replacement character
/// (default U+2581), which is also prepended per <see cref="PrependScheme"/>, and the text is split before
/// each replacement character. Reads the legacy <c>add_prefix_space</c>/<c>str_rep</c> keys too.
/// </summary>
internal sealed class MetaspacePreTokenizer(string replacement, PrependScheme prependScheme, bool split) : PreTokenizer
{
    [ThreadStatic] private static List<(int Start, int End)>? t_spaces;

    public static MetaspacePreTokenizer FromJson(JsonNode json)
    {
        var (replacement, scheme) = ReadShared(json);
        return new MetaspacePreTokenizer(replacement, scheme, json.Bool("split", true));
    }

    /// <summary>The replacement and prepend scheme, shared with the Metaspace decoder.</summary>
    public static (string Replacement, PrependScheme Scheme) ReadShared(JsonNode json)
    {
        var replacement = json.Required("replacement").AsCharacter();
        var scheme = PrependScheme.Always;
        if (json.Member("prepend_scheme") is { } s)
            scheme = s.AsString() switch
            {
                "always" => PrependScheme.Always,
                "first" => PrependScheme.First,
                "never" => PrependScheme.Never,
                var other => throw s.Error($"unknown prepend_scheme '{other}'"),
            };
        if (json.OptionalBool("add_prefix_space") == false)
        {
            if (json.Has("prepend_scheme") && scheme != PrependScheme.Never)
                throw json.Error("add_prefix_space does not match declared prepend_scheme");
            scheme = PrependScheme.Never;
        }
        return (replacement, scheme);
    }

    public override void PreTokenize(PreTokenizedString text)
    {
        var spaces = t_spaces ??= [];
        text.BeginSplit();
        for (var i = 0; i < text.Count; i++)
        {
            if (text[i].IsTokenized)
            {
                text.Keep(i);
                continue;
            }
            var normalized = text.Normalized(i);
            ReplaceSpaces(normalized, spaces);
            var starts = normalized.Text.StartsWith(replacement, StringComparison.Ordinal);
            if (!starts && (prependScheme == PrependScheme.Always || (prependScheme == PrependScheme.First && normalized.OriginalStart == 0)))
                normalized.Prepend(replacement);
            if (!split)
            {
                text.Slice(i, 0, normalized.Length);
                continue;
            }
            // Split before every replacement character (merged with the text after it).
            var chars = normalized.Text;
            var start = 0;
            for (var at = chars.IndexOf(replacement, StringComparison.Ordinal); at >= 0;)
            {
                if (at > start) text.Slice(i, start, at);
                start = at;
                var next = chars[(at + replacement.Length)..].IndexOf(replacement, StringComparison.Ordinal);
                at = next < 0 ? -1 : at + replacement.Length + next;
            }
            text.Slice(i, start, chars.Length);
        }
        text.EndSplit();
    }

    private void ReplaceSpaces(NormalizedText normalized, List<(int Start, int End)> spaces)
    {
        if (!normalized.Text.Contains(' ')) return;
        if (replacement.Length == 1)
        {
            normalized.TextForInPlaceEdit.Replace(' ', replacement[0]);
            return;
        }
        spaces.Clear();
        var span = normalized.Text;
        for (var k = 0; k < span.Length; k++)
            if (span[k] == ' ') spaces.Add((k, k + 1));
        normalized.Replace(spaces, replacement);
    }
}
