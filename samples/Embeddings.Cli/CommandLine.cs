using System.Globalization;

namespace Embeddings.Cli;

/// <summary>Options of the form <c>--name value</c> and flags <c>--name</c>, after the command name.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    private CommandLine()
    {
    }

    /// <summary>Parses the arguments; an option followed by a value that does not start with "--" takes it.</summary>
    public static CommandLine Parse(ReadOnlySpan<string> args)
    {
        var result = new CommandLine();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length == 2)
                throw new CliException($"unexpected argument '{name}'", 2);
            string? value = null;
            if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) value = args[++i];
            if (!result._options.TryAdd(name, value)) throw new CliException($"option {name} given twice", 2);
        }
        return result;
    }

    /// <summary>The value of an option, or null when it is absent.</summary>
    public string? Value(string name)
    {
        _used.Add(name);
        if (!_options.TryGetValue(name, out var value)) return null;
        return value ?? throw new CliException($"option {name} needs a value", 2);
    }

    /// <summary>Whether a flag is present.</summary>
    public bool Flag(string name)
    {
        _used.Add(name);
        if (!_options.TryGetValue(name, out var value)) return false;
        return value is null ? true : throw new CliException($"option {name} takes no value", 2);
    }

    /// <summary>A positive integer option, or null when absent.</summary>
    public int? PositiveInt(string name)
    {
        var text = Value(name);
        if (text is null) return null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            throw new CliException($"option {name} needs a positive integer, got '{text}'", 2);
        return value;
    }

    /// <summary>Fails on options the command did not ask for.</summary>
    public void RejectUnknown()
    {
        foreach (var name in _options.Keys)
            if (!_used.Contains(name)) throw new CliException($"unknown option {name}", 2);
    }
}
