using Embeddings.Cli.Feedback;
using Embeddings.Cli.Help;
using Embeddings.Tokenization;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>tokenize --model DIR | --tokenizer FILE [--no-special] [--max-length N]</c>: one encoding per input line
/// (<c>{"text": ..., "pair": ...}</c>), without truncation or padding unless <c>--max-length</c> is given
/// (then longest-first, right side, stride 0), whatever tokenizer.json's own sections say.
/// </summary>
internal static class TokenizeCommand
{
    public static readonly CliCommand Command = new("tokenize", "token ids, tokens, masks and offsets of each text (and optional pair), as HF tokenizers gives them",
        [
            new("--model", "DIR", "a model folder (its tokenizer.json, else vocab.txt)"),
            new("--tokenizer", "FILE", "a tokenizer.json file instead of --model"),
            new("--no-special", null, "leave out special tokens ([CLS], [SEP], ...)"),
            new("--max-length", "N", "truncate to N tokens (longest first, right side, special tokens kept); default: no truncation or padding"),
            CommonOptions.Input,
            CommonOptions.Progress,
        ],
        "input: {\"text\":\"...\"} or {\"text\":\"...\",\"pair\":\"...\"}\n"
        + "{\"ids\":[101,...],\"tokens\":[\"[CLS]\",...],\"type_ids\":[0,...],\"attention_mask\":[1,...],\"offsets\":[[0,0],...]}\n"
        + "offsets are UTF-16 [start,end) indexes into the text (into pair for the second sequence)",
        Run);

    public static int Run(CommandLine args, CommandIO io)
    {
        var tokenizer = TokenizerLoader.Load(args);
        var maxLength = args.PositiveInt("--max-length");
        var options = new EncodeOptions
        {
            AddSpecialTokens = !args.Flag("--no-special"),
            Truncation = maxLength is { } n ? new TruncationOptions(n) : null,
        };
        bool progress = args.Flag("--progress");
        args.RejectUnknown();
        ProgressDisplay.Run(progress, "tokenize", io.CountRecords, bar => Write(tokenizer, options, io, bar));
        return 0;
    }

    private static void Write(Tokenizer tokenizer, EncodeOptions options, CommandIO io, ICountProgress? progress)
    {
        var writer = new JsonLineWriter(io.Output);
        int done = 0;
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
            // Every line would flood a log; a report per 256 lines (and the final one) is plenty.
            if (++done % 256 == 0) progress?.Report(done);
        }
        progress?.Report(done);
    }
}
