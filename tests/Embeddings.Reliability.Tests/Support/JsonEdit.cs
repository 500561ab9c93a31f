using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace Embeddings.Reliability.Tests.Support;

/// <summary>What a <see cref="JsonEdit"/> does to its target node.</summary>
internal enum JsonEditKind
{
    /// <summary>Remove the member or item (the root becomes <c>null</c>).</summary>
    Remove,
    /// <summary>Replace it with another value.</summary>
    Replace,
    /// <summary>Give an object another component <c>type</c> (or replace a non-object).</summary>
    Retype,
    /// <summary>Add a member to an object or an item to an array (or replace a scalar).</summary>
    Insert,
}

/// <summary>
/// One structural change to a JSON document: a target node (by its position in document order, modulo the node
/// count, so any number picks something), what to do to it, and the JSON text of the value involved. Plain data,
/// so FsCheck can generate, print and shrink it.
/// </summary>
internal sealed record JsonEdit(int Target, JsonEditKind Kind, string Key, string Value)
{
    /// <summary>Member names configuration readers look for, so inserted members are read rather than ignored.</summary>
    private static readonly string[] Keys =
    [
        "type", "vocab", "merges", "id", "ids", "content", "special", "normalizers", "pretokenizers", "processors", "decoders",
        "max_length", "stride", "strategy", "direction", "pattern", "behavior", "invert", "unk_token", "unk_id", "byte_fallback",
        "continuing_subword_prefix", "max_input_chars_per_word", "dropout", "single", "pair", "special_tokens", "sep", "cls",
        "replacement", "prepend_scheme", "split", "add_prefix_space", "trim_offsets", "use_regex", "precompiled_charsmap",
        "lowercase", "strip_accents", "clean_text", "handle_chinese_chars", "String", "Regex", "Sequence", "SpecialToken",
        "hidden_size", "vocab_size", "max_position_embeddings", "pad_token_id", "model_type", "model_max_length", "padding_side",
        "truncation_side", "pad_token", "do_lower_case", "max_seq_length", "prompts", "default_prompt_name", "similarity_fn_name",
        "path", "pooling_mode", "pooling_mode_mean_tokens", "pooling_mode_cls_token", "include_prompt", "word_embedding_dimension",
        "in_features", "out_features", "bias", "activation_function", "use_residual", "pooling_strategy", "dtype", "shape", "data_offsets",
    ];

    /// <summary>Component and module type names, valid and not, so a retyped object meets another reader.</summary>
    private static readonly string[] TypeNames =
    [
        "BertNormalizer", "NFC", "NFD", "NFKC", "NFKD", "Lowercase", "StripAccents", "Strip", "Replace", "Prepend", "Nmt", "Precompiled",
        "ByteLevel", "Sequence", "BertPreTokenizer", "Whitespace", "WhitespaceSplit", "Metaspace", "Split", "Punctuation", "Digits",
        "CharDelimiterSplit", "UnicodeScripts", "FixedLength", "TemplateProcessing", "BertProcessing", "RobertaProcessing", "WordPiece",
        "BPEDecoder", "ByteFallback", "Fuse", "CTC", "BPE", "Unigram", "WordLevel", "NoSuchComponent", "",
        "sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling", "sentence_transformers.models.Dense",
        "sentence_transformers.models.Normalize", "sentence_transformers.sparse_encoder.models.SpladePooling", "sentence_transformers.models.LSTM",
    ];

    /// <summary>JSON values that sit on the edges readers must handle.</summary>
    private static readonly string[] Scalars =
    [
        "null", "true", "false", "0", "1", "-1", "2", "3", "511", "512", "513", "30522", "2147483647", "2147483648", "-2147483649",
        "9223372036854775807", "-9223372036854775808", "18446744073709551616", "1e30", "-1e30", "1e400", "0.5", "-0.0", "3.75",
        "\"\"", "\" \"", "\"[UNK]\"", "\"[CLS]\"", "\"[SEP]\"", "\"<s>\"", "\"##\"", "\"\\u0120\"", "\"\\u2581\"", "\"left\"", "\"right\"",
        "\"mean\"", "\"max\"", "\"cls\"", "\"\\u0000\"", "\"a b\"", "\"\\t\"", "\"(?:\"", "\"\\\\p{L}+\"", "\"x\"", "\"../escape\"", "\"/abs\"",
        "\"\\u0002lone\\u0002\"", "\"a\\u0002lone\\u0002b\"", "\"1_Pooling\"", "\"2_Dense\"", "\"F32\"", "\"F16\"", "\"I64\"", "\"torch.nn.modules.activation.Tanh\"",
    ];

    /// <summary>
    /// Stands for a lone surrogate escape (<c>\ud800</c>), which System.Text.Json.Nodes cannot carry through an edit;
    /// <see cref="Finish"/> puts the escape in once the document is text.
    /// </summary>
    private const string LoneSurrogateMark = "\u0002lone\u0002";

    private static readonly string LoneSurrogateMarkEscaped = JsonValue.Create(LoneSurrogateMark).ToJsonString().Trim('"');

    /// <summary>The escape that replaces the mark: as long as the mark's own escaped text, so sizes do not change.</summary>
    private static readonly string LoneSurrogate = "\\ud800".PadRight(LoneSurrogateMarkEscaped.Length, '_');

    /// <summary>The final JSON text of an edited document (see <see cref="LoneSurrogateMark"/>).</summary>
    public static string Finish(string json) => json.Replace(LoneSurrogateMarkEscaped, LoneSurrogate, StringComparison.Ordinal);

    /// <summary>The final bytes of an edited UTF-8 file (see <see cref="LoneSurrogateMark"/>); same length as the input.</summary>
    public static byte[] Finish(byte[] utf8)
    {
        var mark = System.Text.Encoding.ASCII.GetBytes(LoneSurrogateMarkEscaped);
        var escape = System.Text.Encoding.ASCII.GetBytes(LoneSurrogate);
        var result = (byte[])utf8.Clone();
        for (int at = result.AsSpan().IndexOf(mark); at >= 0; at = result.AsSpan().IndexOf(mark))
            escape.CopyTo(result, at);
        return result;
    }

    /// <summary>A generator of edits whose values mix the edge values above with random strings and small structures.</summary>
    public static Gen<JsonEdit> Generator { get; } =
        from target in Gen.Choose(0, int.MaxValue)
        from kind in Gen.Elements(JsonEditKind.Remove, JsonEditKind.Replace, JsonEditKind.Retype, JsonEditKind.Insert)
        from key in Gen.Elements(Keys)
        from value in RandomValue(depth: 2)
        select new JsonEdit(target, kind, key, value);

    /// <summary>Random JSON text, nested at most <paramref name="depth"/> levels.</summary>
    public static Gen<string> RandomValue(int depth)
    {
        var scalar = Gen.OneOf(Gen.Elements(Scalars), RandomString(), Gen.Choose(-5, 70_000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (depth == 0) return scalar;
        var inner = RandomValue(depth - 1);
        return Gen.Frequency(
            (6, scalar),
            (1, Gen.Elements(TypeNames).Select(type => $"{{\"type\": {JsonSerializer.Serialize(type)}}}")),
            (1, inner.ListOf().Select(items => "[" + string.Join(",", items.Take(4)) + "]")),
            (1, Gen.Elements(Keys).SelectMany(key => inner.Select(value => $"{{{JsonSerializer.Serialize(key)}: {value}}}"))));
    }

    private static Gen<string> RandomString() =>
        Gen.Elements('a', 'Z', '0', ' ', '#', '\u00e9', '\u4e2d', '\u0627', '\u0301', '\u2581', '\u0120', '\uFFFD', '\u0000', '\n', '\\', '"')
            .ArrayOf()
            .Select(chars => JsonSerializer.Serialize(new string(chars.Take(12).ToArray())));

    /// <summary>Applies the edit to <paramref name="root"/> (in place when possible) and returns the new root.</summary>
    public JsonNode? ApplyTo(JsonNode? root)
    {
        var slots = new List<Slot>();
        Collect(new Slot(null, null, 0, root), slots);
        var slot = slots[Target % slots.Count];
        var value = JsonNode.Parse(Value);
        switch (Kind)
        {
            case JsonEditKind.Retype when slot.Node is JsonObject retyped:
                retyped["type"] = JsonValue.Create(TypeNames[(int)((uint)StringComparer.Ordinal.GetHashCode(Key) % TypeNames.Length)]);
                return root;
            case JsonEditKind.Insert when slot.Node is JsonObject obj:
                obj[Key] = value;
                return root;
            case JsonEditKind.Insert when slot.Node is JsonArray array:
                array.Insert(Target % (array.Count + 1), value);
                return root;
            case JsonEditKind.Remove:
                return slot.Set(root, remove: true, null);
            default:
                return slot.Set(root, remove: false, value);
        }
    }

    /// <summary>Where a node sits: its container and its name or index there (no container for the root).</summary>
    private sealed record Slot(JsonNode? Container, string? Name, int Index, JsonNode? Node)
    {
        public JsonNode? Set(JsonNode? root, bool remove, JsonNode? value)
        {
            switch (Container)
            {
                case JsonObject obj when remove:
                    obj.Remove(Name!);
                    return root;
                case JsonObject obj:
                    obj[Name!] = value;
                    return root;
                case JsonArray array when remove:
                    array.RemoveAt(Index);
                    return root;
                case JsonArray array:
                    array[Index] = value;
                    return root;
                default:
                    return value; // the root itself (removing it leaves a JSON null)
            }
        }
    }

    private static void Collect(Slot slot, List<Slot> slots)
    {
        slots.Add(slot);
        switch (slot.Node)
        {
            case JsonObject obj:
                foreach (var member in obj) Collect(new Slot(obj, member.Key, 0, member.Value), slots);
                break;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++) Collect(new Slot(array, null, i, array[i]), slots);
                break;
        }
    }

    public override string ToString() => $"{Kind} node #{Target} (key {Key}, value {Value})";
}
