using Embeddings.Tokenization;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>tokenize --model DIR | --tokenizer FILE [--no-special] [--max-length N]</c>: one encoding per input line
/// (<c>{"text": ..., "pair": ...}</c>), without truncation or padding unless <c>--max-length</c> is given
/// (then longest-first, right side, stride 0), whatever tokenizer.json's own sections say.
/// </summary>
internal static class TokenizeCommand
{
    public static int Run(CommandLine args, CommandIO io)
    {
        var tokenizer = TokenizerLoader.Load(args);
        var maxLength = args.PositiveInt("--max-length");
        var options = new EncodeOptions
        {
            AddSpecialTokens = !args.Flag("--no-special"),
            Truncation = maxLength is { } n ? new TruncationOptions(n) : null,
        };
        args.RejectUnknown();

        var writer = new JsonLineWriter(io.Output);
        foreach (var (line, obj) in JsonLinesReader.Read(io.Input))
        {
            var text = JsonLinesReader.String(obj, "text", line, required: true)!;
            var pair = JsonLinesReader.String(obj, "pair", line, required: false);
            Encoding encoding;
            try
            {
                encoding = tokenizer.Encode(text, pair, options);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Any library failure on one text (bad truncation settings, a Split regex that times out) names its line.
                throw new CliException($"line {line}: {TextBatches.Describe(e)}");
            }
            writer.BeginObject();
            writer.IntArray("ids", encoding.Ids);
            writer.StringArray("tokens", encoding.Tokens);
            writer.IntArray("type_ids", encoding.TypeIds);
            writer.IntArray("attention_mask", encoding.AttentionMask);
            writer.PairArray("offsets", Array.ConvertAll(encoding.Offsets, o => (o.Start, o.End)));
            writer.EndObject();
        }
        return 0;
    }
}
