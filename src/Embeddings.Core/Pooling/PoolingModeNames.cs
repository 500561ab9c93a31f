namespace Embeddings.Pooling;

/// <summary>
/// The names of the pooling modes, in one table: the name sentence-transformers writes (<c>1_Pooling/config.json</c>'s
/// <c>pooling_mode</c>), the older <c>pooling_mode_*</c> key, the name TEI's <c>/info</c> reports, and the other common
/// spellings accepted when parsing. Rows are in sentence-transformers' concatenation order.
/// </summary>
public static class PoolingModeNames
{
    private sealed record Row(PoolingMode Mode, string Name, string LegacyKey, string TeiName, string[] Aliases);

    private static readonly Row[] Table =
    [
        new(PoolingMode.Cls, "cls", "pooling_mode_cls_token", "cls", ["cls_token"]),
        new(PoolingMode.Max, "max", "pooling_mode_max_tokens", "max", ["max_tokens"]),
        new(PoolingMode.Mean, "mean", "pooling_mode_mean_tokens", "mean", ["mean_tokens", "avg"]),
        new(PoolingMode.MeanSqrtLength, "mean_sqrt_len_tokens", "pooling_mode_mean_sqrt_len_tokens", "mean_sqrt_len_tokens", ["mean_sqrt_len"]),
        new(PoolingMode.WeightedMean, "weightedmean", "pooling_mode_weightedmean_tokens", "weightedmean", ["weightedmean_tokens", "weighted_mean"]),
        new(PoolingMode.LastToken, "lasttoken", "pooling_mode_lasttoken", "last_token", ["last_token", "last"]),
    ];

    /// <summary>The sentence-transformers names of every mode, for messages and help text.</summary>
    public static IReadOnlyList<string> All { get; } = Table.Select(row => row.Name).ToArray();

    /// <summary>Parses a mode name: the sentence-transformers name, TEI's name or a common spelling
    /// (<c>cls_token</c>, <c>avg</c>, <c>last</c>…); case and surrounding spaces are ignored.</summary>
    /// <param name="name">The name.</param>
    /// <param name="mode">The mode, when the name is known.</param>
    /// <returns>False when the name is null or unknown.</returns>
    public static bool TryParse(string? name, out PoolingMode mode)
    {
        string key = name?.Trim().ToLowerInvariant() ?? "";
        foreach (var row in Table)
        {
            if (row.Name == key || row.TeiName == key || Array.IndexOf(row.Aliases, key) >= 0)
            {
                mode = row.Mode;
                return true;
            }
        }
        mode = default;
        return false;
    }

    /// <summary>Parses a mode name as <see cref="TryParse"/> does.</summary>
    /// <param name="name">The name.</param>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the supported names.</exception>
    public static PoolingMode Parse(string name) =>
        TryParse(name, out var mode)
            ? mode
            : throw new ArgumentException($"unknown pooling mode \"{name}\"; supported: {string.Join(", ", All)}.", nameof(name));

    /// <summary>The name sentence-transformers writes for <paramref name="mode"/> (<c>lasttoken</c>, <c>weightedmean</c>…).</summary>
    /// <param name="mode">The mode.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="PoolingMode"/>.</exception>
    public static string ToName(PoolingMode mode) => RowOf(mode).Name;

    /// <summary>The name TEI's <c>/info</c> reports for <paramref name="mode"/> (<c>last_token</c> for the last token).</summary>
    /// <param name="mode">The mode.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="PoolingMode"/>.</exception>
    public static string ToTeiName(PoolingMode mode) => RowOf(mode).TeiName;

    /// <summary>The older <c>pooling_mode_*</c> boolean keys with their modes, in concatenation order.</summary>
    internal static IEnumerable<(string Key, PoolingMode Mode)> LegacyKeys => Table.Select(row => (row.LegacyKey, row.Mode));

    private static Row RowOf(PoolingMode mode) =>
        Array.Find(Table, row => row.Mode == mode) ?? throw new ArgumentOutOfRangeException(nameof(mode), mode, "is not a defined pooling mode.");
}
