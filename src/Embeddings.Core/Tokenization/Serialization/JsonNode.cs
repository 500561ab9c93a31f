using System.Text.Json;

namespace Embeddings.Tokenization.Serialization;

/// <summary>
/// A JSON value of a tokenizer file together with its path and the file name, so every read can report
/// a precise <see cref="TokenizerFormatException"/>.
/// </summary>
internal readonly struct JsonNode(JsonElement element, string path, string source)
{
    public JsonElement Element => element;
    public string Path => path;
    public string Source => source;

    public JsonValueKind Kind => element.ValueKind;
    public bool IsNull => element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    public TokenizerFormatException Error(string problem, Exception? inner = null) => new(source, path, problem, inner);

    /// <summary>The member <paramref name="name"/>, or null when absent or JSON null.</summary>
    public JsonNode? Member(string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw Error($"expected an object, found {Describe(element.ValueKind)}");
        return element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? new JsonNode(value, path + "." + name, source)
            : null;
    }

    public bool Has(string name) => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out _);

    public JsonNode Required(string name) => Member(name) ?? throw Error($"missing required field '{name}'");

    public string? OptionalString(string name) => Member(name)?.AsString();

    public string RequiredString(string name) => Required(name).AsString();

    public bool Bool(string name, bool fallback) => Member(name)?.AsBool() ?? fallback;

    public bool? OptionalBool(string name) => Member(name)?.AsBool();

    public int Int(string name, int fallback) => Member(name)?.AsInt() ?? fallback;

    public int RequiredInt(string name) => Required(name).AsInt();

    /// <summary>The component kind from the <c>type</c> member, or null when the object has none.</summary>
    public string? Type => Member("type")?.AsString();

    public string AsString()
    {
        if (element.ValueKind != JsonValueKind.String) throw Error($"expected a string, found {Describe(element.ValueKind)}");
        // The parser checks the document's structure, not its text: bad UTF-8 or an unpaired \ud800 escape fails here.
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw Error(NotUnicode, e);
        }
    }

    /// <summary>The name of one of this object's members, or an error naming this object when it is not valid Unicode text.</summary>
    public string NameOf(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException e)
        {
            throw Error(NotUnicode, e);
        }
    }

    private const string NotUnicode = "a string is not valid Unicode text (invalid UTF-8, or an unpaired surrogate escape such as \\ud800)";

    public bool AsBool() => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Error($"expected true or false, found {Describe(element.ValueKind)}"),
    };

    public int AsInt()
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value)) return value;
        throw Error(element.ValueKind == JsonValueKind.Number
            ? $"number {element.GetRawText()} is not a 32-bit integer"
            : $"expected an integer, found {Describe(element.ValueKind)}");
    }

    public double AsDouble() => element.ValueKind == JsonValueKind.Number
        ? element.GetDouble()
        : throw Error($"expected a number, found {Describe(element.ValueKind)}");

    /// <summary>A single character (one code point) given as a string.</summary>
    public string AsCharacter()
    {
        var s = AsString();
        var ok = s.Length == 1 ? !char.IsSurrogate(s[0]) : s.Length == 2 && char.IsSurrogatePair(s[0], s[1]);
        return ok ? s : throw Error($"expected a single character, found \"{s}\"");
    }

    public IEnumerable<JsonNode> Items()
    {
        if (element.ValueKind != JsonValueKind.Array)
            throw Error($"expected an array, found {Describe(element.ValueKind)}");
        var i = 0;
        foreach (var item in element.EnumerateArray())
            yield return new JsonNode(item, $"{path}[{i++}]", source);
    }

    public int ArrayLength => element.ValueKind == JsonValueKind.Array
        ? element.GetArrayLength()
        : throw Error($"expected an array, found {Describe(element.ValueKind)}");

    public IEnumerable<(string Name, JsonNode Value)> Properties()
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw Error($"expected an object, found {Describe(element.ValueKind)}");
        foreach (var p in element.EnumerateObject())
        {
            var name = NameOf(p);
            yield return (name, new JsonNode(p.Value, path + "." + name, source));
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
