using System.Globalization;
using System.Text;

namespace Embeddings.Hub;

/// <summary>
/// Reads the huggingface_hub environment variables with the same names, defaults and precedence as the
/// Python library, so both share one cache and one token. The variable lookup is a parameter so the
/// rules can be checked without touching the process environment.
/// </summary>
internal static class HubEnvironment
{
    /// <summary>The public hub, used when <c>HF_ENDPOINT</c> is not set.</summary>
    public const string DefaultEndpoint = "https://huggingface.co";

    /// <summary>Seconds to wait for metadata when <c>HF_HUB_ETAG_TIMEOUT</c> is not set.</summary>
    public const int DefaultMetadataTimeoutSeconds = 10;

    /// <summary>Seconds a download may stall when <c>HF_HUB_DOWNLOAD_TIMEOUT</c> is not set.</summary>
    public const int DefaultDownloadTimeoutSeconds = 10;

    /// <summary>Reads the real process environment.</summary>
    public static readonly Func<string, string?> Process = Environment.GetEnvironmentVariable;

    /// <summary><c>HF_ENDPOINT</c> without trailing slashes, or the public hub.</summary>
    public static string Endpoint(Func<string, string?> env) =>
        NonEmpty(env("HF_ENDPOINT"))?.TrimEnd('/') ?? DefaultEndpoint;

    /// <summary><c>HF_HOME</c>, else <c>$XDG_CACHE_HOME/huggingface</c>, else <c>~/.cache/huggingface</c>.</summary>
    public static string HfHome(Func<string, string?> env)
    {
        if (NonEmpty(env("HF_HOME")) is { } home) return ExpandPath(home, env);
        var cacheHome = NonEmpty(env("XDG_CACHE_HOME")) ?? Path.Combine(UserHome(env), ".cache");
        return ExpandPath(Path.Combine(cacheHome, "huggingface"), env);
    }

    /// <summary><c>HF_HUB_CACHE</c>, else the legacy <c>HUGGINGFACE_HUB_CACHE</c>, else <c>$HF_HOME/hub</c>.</summary>
    public static string HubCache(Func<string, string?> env)
    {
        var configured = NonEmpty(env("HF_HUB_CACHE")) ?? NonEmpty(env("HUGGINGFACE_HUB_CACHE"));
        return configured is not null ? ExpandPath(configured, env) : Path.Combine(HfHome(env), "hub");
    }

    /// <summary><c>HF_TOKEN_PATH</c>, else <c>$HF_HOME/token</c> (where <c>hf auth login</c> saves the token).</summary>
    public static string TokenPath(Func<string, string?> env) =>
        NonEmpty(env("HF_TOKEN_PATH")) is { } path ? ExpandPath(path, env) : Path.Combine(HfHome(env), "token");

    /// <summary>
    /// The token to send: <c>HF_TOKEN</c>, else the legacy <c>HUGGING_FACE_HUB_TOKEN</c>, else the token file;
    /// none when <c>HF_HUB_DISABLE_IMPLICIT_TOKEN</c> is set.
    /// </summary>
    public static string? Token(Func<string, string?> env)
    {
        if (IsTrue(env("HF_HUB_DISABLE_IMPLICIT_TOKEN"))) return null;
        if (CleanToken(env("HF_TOKEN")) is { } fromVariable) return fromVariable;
        if (CleanToken(env("HUGGING_FACE_HUB_TOKEN")) is { } fromLegacyVariable) return fromLegacyVariable;
        try
        {
            return CleanToken(File.ReadAllText(TokenPath(env)));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary><c>HF_HUB_OFFLINE</c> (or the older <c>TRANSFORMERS_OFFLINE</c>) is true.</summary>
    public static bool Offline(Func<string, string?> env) =>
        IsTrue(NonEmpty(env("HF_HUB_OFFLINE")) ?? env("TRANSFORMERS_OFFLINE"));

    /// <summary><c>HF_HUB_DISABLE_SYMLINKS</c> is true: snapshots hold copies instead of links.</summary>
    public static bool SymlinksDisabled(Func<string, string?> env) => IsTrue(env("HF_HUB_DISABLE_SYMLINKS"));

    /// <summary><c>HF_HUB_ETAG_TIMEOUT</c> in seconds, else 10.</summary>
    public static TimeSpan MetadataTimeout(Func<string, string?> env) =>
        Seconds(env, "HF_HUB_ETAG_TIMEOUT", DefaultMetadataTimeoutSeconds);

    /// <summary><c>HF_HUB_DOWNLOAD_TIMEOUT</c> in seconds, else 10.</summary>
    public static TimeSpan DownloadTimeout(Func<string, string?> env) =>
        Seconds(env, "HF_HUB_DOWNLOAD_TIMEOUT", DefaultDownloadTimeoutSeconds);

    /// <summary>True for "1", "ON", "YES" and "TRUE" in any case, as huggingface_hub reads its flags.</summary>
    public static bool IsTrue(string? value) =>
        value is not null && value.ToUpperInvariant() is "1" or "ON" or "YES" or "TRUE";

    private static TimeSpan Seconds(Func<string, string?> env, string name, int fallback)
    {
        var text = NonEmpty(env(name));
        if (text is null) return TimeSpan.FromSeconds(fallback);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) || seconds < 0)
            throw new InvalidOperationException($"The environment variable {name}='{text}' is not a whole number of seconds.");
        // huggingface_hub treats 0 like "not set" (`int(value) or default`).
        return TimeSpan.FromSeconds(seconds == 0 ? fallback : seconds);
    }

    // huggingface_hub strips the token and removes line breaks; an empty result means no token.
    private static string? CleanToken(string? token)
    {
        if (token is null) return null;
        var cleaned = token.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Trim();
        return cleaned.Length == 0 ? null : cleaned;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string UserHome(Func<string, string?> env) =>
        NonEmpty(env(OperatingSystem.IsWindows() ? "USERPROFILE" : "HOME"))
        ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>
    /// Expands a leading <c>~</c> and then <c>$NAME</c>, <c>${NAME}</c> (and <c>%NAME%</c> on Windows) the way
    /// Python's <c>os.path.expandvars(os.path.expanduser(p))</c> does; unknown variables are left as written.
    /// </summary>
    public static string ExpandPath(string path, Func<string, string?> env)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal) ||
            (OperatingSystem.IsWindows() && path.StartsWith("~\\", StringComparison.Ordinal)))
            path = UserHome(env) + path[1..];
        return ExpandVariables(path, env);
    }

    private static string ExpandVariables(string path, Func<string, string?> env)
    {
        if (path.IndexOfAny(['$', '%']) < 0) return path;
        var result = new StringBuilder(path.Length);
        var i = 0;
        while (i < path.Length)
        {
            var c = path[i];
            if (c == '$' && TryReadVariable(path, i + 1, out var name, out var end, braced: i + 1 < path.Length && path[i + 1] == '{')
                && env(name) is { } dollarValue)
            {
                result.Append(dollarValue);
                i = end;
            }
            else if (c == '%' && OperatingSystem.IsWindows() && path.IndexOf('%', i + 1) is var close and > 0
                     && close > i + 1 && env(path[(i + 1)..close]) is { } percentValue)
            {
                result.Append(percentValue);
                i = close + 1;
            }
            else
            {
                result.Append(c);
                i++;
            }
        }
        return result.ToString();
    }

    private static bool TryReadVariable(string path, int start, out string name, out int end, bool braced)
    {
        name = "";
        end = start;
        if (braced)
        {
            var close = path.IndexOf('}', start + 1);
            if (close < 0) return false;
            name = path[(start + 1)..close];
            end = close + 1;
            return name.Length > 0;
        }
        var stop = start;
        while (stop < path.Length && (char.IsAsciiLetterOrDigit(path[stop]) || path[stop] == '_')) stop++;
        name = path[start..stop];
        end = stop;
        return name.Length > 0;
    }
}
