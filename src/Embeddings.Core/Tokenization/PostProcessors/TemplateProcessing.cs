using Embeddings.Tokenization.Serialization;

namespace Embeddings.Tokenization.PostProcessors;

/// <summary>
/// The <c>TemplateProcessing</c> post-processor: lays out the sequences and special tokens as its
/// <c>single</c> and <c>pair</c> templates say (e.g. <c>[CLS] $A [SEP]</c> / <c>[CLS] $A [SEP] $B:1 [SEP]:1</c>),
/// each piece with its type id.
/// </summary>
internal sealed class TemplateProcessing : PostProcessor
{
    private readonly Piece[] _single;
    private readonly Piece[] _pair;
    private readonly Dictionary<string, (int[] Ids, string[] Tokens)> _specialTokens;
    private readonly int _addedSingle;
    private readonly int _addedPair;

    public TemplateProcessing(Piece[] single, Piece[] pair, Dictionary<string, (int[] Ids, string[] Tokens)> specialTokens)
    {
        _single = single;
        _pair = pair;
        _specialTokens = specialTokens;
        _addedSingle = CountAdded(single);
        _addedPair = CountAdded(pair);
    }

    /// <summary>A template element: one of the sequences, or a special token by its key.</summary>
    internal readonly record struct Piece(bool IsSequence, int Sequence, string? SpecialToken, int TypeId);

    public static TemplateProcessing FromJson(JsonNode json)
    {
        var specials = new Dictionary<string, (int[], string[])>(StringComparer.Ordinal);
        if (json.Member("special_tokens") is { } map)
            foreach (var (key, value) in map.Properties())
            {
                var ids = value.Required("ids").Items().Select(i => i.AsInt()).ToArray();
                var tokens = value.Required("tokens").Items().Select(t => t.AsString()).ToArray();
                if (ids.Length != tokens.Length) throw value.Error("'ids' and 'tokens' must have the same length");
                specials[key] = (ids, tokens);
            }
        var singleNode = json.Member("single");
        var pairNode = json.Member("pair");
        var single = singleNode is { } s ? ReadTemplate(s) : [new Piece(true, 0, null, 0)];
        var pair = pairNode is { } p ? ReadTemplate(p) : [new Piece(true, 0, null, 0), new Piece(true, 1, null, 1)];
        if (single.Any(x => x.IsSequence && x.Sequence == 1))
            throw (singleNode ?? json).Error("the single-sequence template cannot use sequence B");
        if (!pair.Any(x => x.IsSequence && x.Sequence == 0) || !pair.Any(x => x.IsSequence && x.Sequence == 1))
            throw (pairNode ?? json).Error("the pair template must use both sequences");
        foreach (var piece in single.Concat(pair))
            if (!piece.IsSequence && !specials.ContainsKey(piece.SpecialToken!))
                throw json.Error($"the template uses special token '{piece.SpecialToken}', which 'special_tokens' does not define");
        return new TemplateProcessing(single, pair, specials);
    }

    // Templates are arrays of {"Sequence": {"id": "A", "type_id": 0}} / {"SpecialToken": {"id": "[CLS]", "type_id": 0}},
    // or the string shorthand "[CLS] $A [SEP]" (also as an array of such strings).
    private static Piece[] ReadTemplate(JsonNode json)
    {
        if (json.Kind == System.Text.Json.JsonValueKind.String)
            return json.AsString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => ParseShorthand(t, json)).ToArray();
        return json.Items().Select(item =>
        {
            if (item.Kind == System.Text.Json.JsonValueKind.String) return ParseShorthand(item.AsString(), item);
            if (item.Member("Sequence") is { } seq)
            {
                var id = seq.RequiredString("id");
                var sequence = id switch
                {
                    "A" => 0,
                    "B" => 1,
                    _ => throw seq.Error($"unknown sequence id '{id}' (expected A or B)"),
                };
                return new Piece(true, sequence, null, seq.Int("type_id", 0));
            }
            if (item.Member("SpecialToken") is { } special)
                return new Piece(false, 0, special.RequiredString("id"), special.Int("type_id", 0));
            throw item.Error("expected a 'Sequence' or 'SpecialToken' template piece");
        }).ToArray();
    }

    private static Piece ParseShorthand(string text, JsonNode where)
    {
        var parts = text.Split(':');
        if (parts.Length > 2) throw where.Error($"cannot read template piece \"{text}\"");
        var typeId = 0;
        if (parts.Length == 2 && !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out typeId))
            throw where.Error($"cannot read template piece \"{text}\"");
        var id = parts[0];
        if (!id.StartsWith('$')) return new Piece(false, 0, id, typeId);
        return id[1..] switch
        {
            "" or "A" or "a" => new Piece(true, 0, null, typeId),
            "B" or "b" => new Piece(true, 1, null, typeId),
            var n when int.TryParse(n, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var t) =>
                new Piece(true, 0, null, parts.Length == 2 ? typeId : t),
            _ => throw where.Error($"cannot read template piece \"{text}\""),
        };
    }

    private int CountAdded(Piece[] template) =>
        template.Where(p => !p.IsSequence).Sum(p => _specialTokens.TryGetValue(p.SpecialToken!, out var s) ? s.Ids.Length : 0);

    public override int AddedTokens(bool isPair) => isPair ? _addedPair : _addedSingle;

    public override SingleSequenceLayout? SingleLayout(bool addSpecialTokens)
    {
        var sequences = _single.Where(p => p.IsSequence).ToArray();
        if (sequences.Length != 1) return null;
        var position = Array.FindIndex(_single, p => p.IsSequence);
        if (!addSpecialTokens) return new SingleSequenceLayout([], [], sequences[0].TypeId, [], []);
        (int[] Ids, int[] TypeIds) Specials(IEnumerable<Piece> pieces)
        {
            var ids = new List<int>();
            var types = new List<int>();
            foreach (var p in pieces)
                foreach (var id in _specialTokens[p.SpecialToken!].Ids)
                {
                    ids.Add(id);
                    types.Add(p.TypeId);
                }
            return ([.. ids], [.. types]);
        }
        var (prefixIds, prefixTypes) = Specials(_single.Take(position));
        var (suffixIds, suffixTypes) = Specials(_single.Skip(position + 1));
        return new SingleSequenceLayout(prefixIds, prefixTypes, sequences[0].TypeId, suffixIds, suffixTypes);
    }

    public override List<Encoding> ProcessEncodings(List<Encoding> encodings, bool addSpecialTokens)
    {
        var template = encodings.Count == 2 ? _pair : _single;
        var result = new List<Encoding>(template.Length);
        foreach (var piece in template)
        {
            if (piece.IsSequence)
            {
                var e = EncodingOperations.WithTypeIds(encodings[piece.Sequence], piece.TypeId);
                e = EncodingOperations.WithSequenceId(e, piece.Sequence);
                encodings[piece.Sequence] = e;
                result.Add(e);
            }
            else if (addSpecialTokens)
            {
                var (ids, tokens) = _specialTokens[piece.SpecialToken!];
                result.Add(EncodingOperations.Special(ids, tokens, piece.TypeId));
            }
        }
        return result;
    }
}
