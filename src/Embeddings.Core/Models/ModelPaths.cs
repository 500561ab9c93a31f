namespace Embeddings.Models;

/// <summary>Joins file names taken from configuration files onto a model folder without letting them escape it.</summary>
internal static class ModelPaths
{
    /// <summary>
    /// <paramref name="root"/> + <paramref name="relative"/>, rejecting absolute paths, drive letters,
    /// <c>..</c> segments and anything that resolves outside <paramref name="root"/>.
    /// </summary>
    /// <param name="root">The model folder.</param>
    /// <param name="relative">A forward-slash relative path from a config file.</param>
    /// <param name="source">The config file that named it, for the error message.</param>
    public static string Inside(string root, string relative, string source)
    {
        if (relative.Length == 0) return root;
        bool unsafePath = Path.IsPathRooted(relative) || relative.Contains(':') || relative.Contains('\\') || relative.Contains('\0')
            || relative.Split('/').Any(segment => segment == "..");
        // Checked before resolving: Path.GetFullPath itself throws ArgumentException for a NUL character.
        string full = unsafePath ? "" : Path.GetFullPath(Path.Combine(root, relative));
        string rootFull = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if (unsafePath || !(full + Path.DirectorySeparatorChar).StartsWith(rootFull, StringComparison.Ordinal))
            throw new ModelConfigurationException($"the path \"{relative}\" points outside the model folder; it is refused.", source);
        return full;
    }
}
