using Embeddings.Tokenization;

namespace Embeddings.Cli;

/// <summary>Loads the tokenizer named by <c>--tokenizer FILE</c> or <c>--model DIR</c> (tokenizer.json, else vocab.txt).</summary>
internal static class TokenizerLoader
{
    public static Tokenizer Load(CommandLine args)
    {
        var file = args.Value("--tokenizer");
        var model = args.Value("--model");
        if (file is not null && model is not null) throw new CliException("give either --tokenizer or --model, not both", 2);
        if (file is null && model is null) throw new CliException("missing --model DIR or --tokenizer FILE", 2);
        try
        {
            if (file is not null)
            {
                if (!File.Exists(file)) throw new CliException($"tokenizer file not found: {file}");
                return Tokenizer.FromFile(file);
            }
            if (!Directory.Exists(model)) throw new CliException($"model folder not found: {model}");
            var json = Path.Combine(model!, "tokenizer.json");
            if (File.Exists(json)) return Tokenizer.FromFile(json);
            var vocab = Path.Combine(model!, "vocab.txt");
            if (File.Exists(vocab))
            {
                var settings = Embeddings.Models.TokenizerSettings.Load(Path.Combine(model!, "tokenizer_config.json"), Path.Combine(model!, "special_tokens_map.json"));
                return Tokenizer.FromBertVocab(vocab, lowercase: settings.DoLowerCase ?? true);
            }
            throw new CliException($"no tokenizer.json or vocab.txt in {model}");
        }
        catch (Exception e) when (e is TokenizerFormatException or Embeddings.Models.ModelConfigurationException or NotSupportedException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot load the tokenizer: {ErrorText.OneLine(e)}");
        }
    }
}
