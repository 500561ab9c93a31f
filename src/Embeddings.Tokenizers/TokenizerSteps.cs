using HfTokenizer = Embeddings.Tokenization.Tokenizer;

namespace Embeddings.Tokenizers;

/// <summary>
/// The same tokenizer with its normalizer or pre-tokenizer left out: what Microsoft.ML.Tokenizers'
/// <c>considerNormalization: false</c> / <c>considerPreTokenization: false</c> ask for. The components are shared,
/// not copied; the added tokens are matched as the tokenizer.json describes, against the text as it is then.
/// </summary>
internal static class TokenizerSteps
{
    public static HfTokenizer Without(HfTokenizer tokenizer, bool dropNormalizer, bool dropPreTokenizer) =>
        new(dropNormalizer ? null : tokenizer.Normalizer, dropPreTokenizer ? null : tokenizer.PreTokenizer, tokenizer.Model,
            tokenizer.PostProcessor, tokenizer.Decoder, tokenizer.AddedTokens, tokenizer.Truncation, tokenizer.Padding);
}
