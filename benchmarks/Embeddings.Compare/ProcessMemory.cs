namespace Embeddings.Compare;

/// <summary>This process's resident memory, from <c>/proc/self/status</c> (Linux).</summary>
internal static class ProcessMemory
{
    /// <summary>The peak resident set size so far (VmHWM), in bytes.</summary>
    public static long PeakRss() => Read("VmHWM:");

    /// <summary>The current resident set size (VmRSS), in bytes.</summary>
    public static long CurrentRss() => Read("VmRSS:");

    private static long Read(string key)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith(key, StringComparison.Ordinal)) continue;
            var kilobytes = line[key.Length..].Trim().Split(' ')[0];
            return long.Parse(kilobytes, System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        throw new PlatformNotSupportedException($"/proc/self/status has no {key} line; memory is measured on Linux only.");
    }
}
