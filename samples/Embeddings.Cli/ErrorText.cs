namespace Embeddings.Cli;

/// <summary>Exception messages as one readable line: no parameter-name suffix, no second line, no stack.</summary>
internal static class ErrorText
{
    public static string OneLine(Exception error)
    {
        string message = error.Message;
        if (error is ArgumentException { ParamName: { } parameter })
            message = message.Replace($" (Parameter '{parameter}')", "", StringComparison.Ordinal);
        // The "Actual value was ..." line repeats what the library's own messages already say.
        if (error is ArgumentOutOfRangeException { ActualValue: not null })
            message = string.Join('\n', message.Split('\n').Where(l => !l.StartsWith("Actual value was", StringComparison.Ordinal)));
        return Flatten(message);
    }

    /// <summary>Joins the lines of a message into one: after a full stop with a space, otherwise with "; ".</summary>
    public static string Flatten(string message)
    {
        var parts = message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length <= 1) return parts.Length == 0 ? message.Trim() : parts[0];
        var line = new System.Text.StringBuilder(parts[0]);
        for (int i = 1; i < parts.Length; i++)
            line.Append(parts[i - 1].EndsWith('.') ? " " : "; ").Append(parts[i]);
        return line.ToString();
    }
}
