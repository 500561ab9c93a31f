namespace Embeddings.Tokenization.Text;

/// <summary>The Unicode Script property (generated ranges in <c>UnicodeScripts.g.cs</c>).</summary>
internal static partial class UnicodeScripts
{
    /// <summary>A number for the script of a code point; 0 when it has none (unassigned).</summary>
    public static int Of(int codePoint)
    {
        var ranges = Ranges;
        int lo = 0, hi = ranges.Length / 3 - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            if (codePoint < ranges[3 * mid]) hi = mid - 1;
            else if (codePoint > ranges[3 * mid + 1]) lo = mid + 1;
            else return ranges[3 * mid + 2];
        }
        return 0;
    }

    /// <summary>The number of a script by name (such as "Han"), or 0.</summary>
    public static int Number(string name) => Math.Max(0, Array.IndexOf(Names, name));
}
