using Embeddings.Models;
using Embeddings.Tokenization;

namespace Embeddings.Batching;

/// <summary>
/// Turns caller texts into token sequences the way sentence-transformers does: prompt prepended,
/// lower-cased when the model asks for it, special tokens added, truncated to the model's limit while
/// keeping the special tokens. Tokenization runs in parallel for large inputs.
/// </summary>
internal sealed class InputEncoder
{
    /// <summary>Below this many texts, tokenizing on one thread is cheaper than coordinating several.</summary>
    private const int ParallelThreshold = 64;

    private readonly Tokenizer _tokenizer;
    private readonly int _maxLength;
    private readonly TruncationDirection _direction;
    private readonly bool _lowercase;

    public InputEncoder(Tokenizer tokenizer, int maxLength, Side truncationSide, bool lowercase)
    {
        _tokenizer = tokenizer;
        _maxLength = maxLength;
        _direction = truncationSide == Side.Left ? TruncationDirection.Left : TruncationDirection.Right;
        _lowercase = lowercase;
    }

    /// <summary>The model's limit in tokens, special tokens included.</summary>
    public int MaxLength => _maxLength;

    /// <summary>Encodes every text.</summary>
    /// <param name="texts">Caller texts (already checked for null).</param>
    /// <param name="prompt">Text prepended to each, or "".</param>
    /// <param name="policy">Truncate, or throw for the first text that does not fit.</param>
    /// <param name="parameterName">The caller's parameter name, for errors.</param>
    /// <param name="cancellationToken">Checked between texts.</param>
    public EncodedInputs Encode(IReadOnlyList<string> texts, string prompt, TruncationPolicy policy, string parameterName, CancellationToken cancellationToken)
    {
        var truncate = new EncodeOptions { AddSpecialTokens = true, Truncation = new TruncationOptions(_maxLength, TruncationStrategy.LongestFirst, _direction) };
        var whole = new EncodeOptions { AddSpecialTokens = true };
        var options = policy == TruncationPolicy.Truncate ? truncate : whole;
        var encodings = new Encoding[texts.Count];

        void EncodeOne(int i)
        {
            string text = prompt.Length == 0 ? texts[i] : string.Concat(prompt, texts[i]);
            if (_lowercase) text = text.ToLowerInvariant();
            encodings[i] = _tokenizer.Encode(text, options);
        }

        if (texts.Count < ParallelThreshold)
        {
            for (int i = 0; i < texts.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                EncodeOne(i);
            }
        }
        else
        {
            Parallel.For(0, texts.Count, new ParallelOptions { CancellationToken = cancellationToken }, EncodeOne);
        }

        if (policy == TruncationPolicy.Error)
            for (int i = 0; i < encodings.Length; i++)
                if (encodings[i].Length > _maxLength) throw new InputTooLongException(i, encodings[i].Length, _maxLength, parameterName);

        return new EncodedInputs(encodings,
            encodings.Select(e => e.Ids).ToArray(),
            encodings.Select(e => e.TypeIds).ToArray(),
            PromptLength(prompt));
    }

    /// <summary>
    /// Tokens the prompt occupies at the start of every sequence, as sentence-transformers counts them: the
    /// prompt encoded alone with special tokens, minus a trailing special token.
    /// </summary>
    public int PromptLength(string prompt)
    {
        if (prompt.Length == 0) return 0;
        var encoding = _tokenizer.Encode(_lowercase ? prompt.ToLowerInvariant() : prompt, new EncodeOptions { AddSpecialTokens = true });
        int length = encoding.Length;
        if (length > 0 && encoding.SpecialTokensMask[length - 1] == 1) length--;
        return length;
    }
}
