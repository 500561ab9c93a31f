namespace Embeddings.Tokenization.Decoders;

/// <summary>
/// The <c>ByteLevel</c> decoder: maps byte-alphabet characters back to bytes (tokens with other characters
/// contribute their UTF-8 bytes as they are) and decodes the bytes as UTF-8 with replacement.
/// </summary>
internal sealed class ByteLevelDecoder : Decoder
{
    public override List<string> DecodeChain(List<string> tokens)
    {
        var bytes = new List<byte>();
        foreach (var token in tokens)
        {
            var start = bytes.Count;
            var mapped = true;
            foreach (var c in token)
            {
                var b = Text.ByteLevelAlphabet.ToByte(c);
                if (b < 0)
                {
                    mapped = false;
                    break;
                }
                bytes.Add((byte)b);
            }
            if (mapped) continue;
            bytes.RemoveRange(start, bytes.Count - start);
            bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(token));
        }
        return [System.Text.Encoding.UTF8.GetString(bytes.ToArray())];
    }
}
