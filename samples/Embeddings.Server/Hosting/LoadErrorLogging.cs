namespace Embeddings.Server.Hosting;

/// <summary>
/// A model that fails to load is reported by the server in one line (<see cref="Reasons"/>). The library also logs
/// the failure as an error with its stack trace; that entry is dropped unless the library's category is turned up to
/// Debug, where the trace is what the reader asked for.
/// </summary>
internal static class LoadErrorLogging
{
    private const string LibraryCategory = "Embeddings";

    /// <summary>Drops the library's error-level entries unless <c>Logging:LogLevel:Embeddings</c> is Debug or Trace.</summary>
    public static void Quieten(ILoggingBuilder logging, IConfiguration configuration)
    {
        string? level = configuration[$"Logging:LogLevel:{LibraryCategory}"] ?? configuration["Logging:LogLevel:Default"];
        var minimum = Enum.TryParse<LogLevel>(level, ignoreCase: true, out var asked) ? asked : LogLevel.Information;
        if (minimum <= LogLevel.Debug) return;
        // The library logs errors only when a model fails to load; every other problem reaches the caller as an exception.
        // This rule replaces the configured one for the category, so it keeps that rule's minimum level.
        logging.AddFilter(LibraryCategory, logLevel => logLevel >= minimum && logLevel != LogLevel.Error);
    }

    /// <summary>The messages of an exception and its inner exceptions, joined on one line, each said once.</summary>
    public static string Reasons(Exception exception)
    {
        var messages = new List<string>();
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            string message = e.Message.ReplaceLineEndings(" ").Trim();
            if (message.Length > 0 && !messages.Any(known => known.Contains(message, StringComparison.Ordinal))) messages.Add(message);
        }
        return string.Join(" — ", messages);
    }
}
