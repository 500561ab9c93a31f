namespace Embeddings.Tokenization.Decoders;

/// <summary>
/// The <c>ByteFallback</c> decoder: runs of <c>&lt;0xHH&gt;</c> tokens become the text their bytes encode, or one
/// U+FFFD per byte when the bytes are not valid UTF-8.
/// </summary>
internal sealed class ByteFallbackDecoder : Decoder
{
    private static readonly System.Text.UTF8Encoding Strict = new(false, true);

    public override List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        var pending = new List<byte>();
        foreach (var token in tokens)
        {
            if (token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>'
                && byte.TryParse(token.AsSpan(3, 2), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var b))
            {
                pending.Add(b);
                continue;
            }
            Flush(pending, result);
            result.Add(token);
        }
        Flush(pending, result);
        return result;
    }

    private static void Flush(List<byte> pending, List<string> result)
    {
        if (pending.Count == 0) return;
        try
        {
            result.Add(Strict.GetString(pending.ToArray()));
        }
        catch (System.Text.DecoderFallbackException)
        {
            for (var i = 0; i < pending.Count; i++) result.Add("\uFFFD");
        }
        pending.Clear();
    }
}
