using System.Globalization;

namespace Embeddings.Compare;

/// <summary>The <c>--name value</c> options of one command, with typed getters that name the option on bad input.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public CommandLine(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
                throw new ArgumentException($"Expected '--name value' pairs; '{args[i]}' has no value.");
            _values[args[i][2..]] = args[++i];
        }
    }

    public string String(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public string? OptionalString(string name) => _values.GetValueOrDefault(name);

    public string Required(string name) =>
        _values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");

    public int Int(string name, int fallback) => _values.TryGetValue(name, out var value)
        ? int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= 0
            ? number
            : throw new ArgumentException($"--{name} takes a non-negative integer, not '{value}'.")
        : fallback;

    public int? OptionalInt(string name) => _values.ContainsKey(name) ? Int(name, 0) : null;

    public bool Bool(string name, bool fallback) => _values.TryGetValue(name, out var value)
        ? value switch
        {
            "on" or "true" or "1" => true,
            "off" or "false" or "0" => false,
            _ => throw new ArgumentException($"--{name} takes on or off, not '{value}'."),
        }
        : fallback;
}
