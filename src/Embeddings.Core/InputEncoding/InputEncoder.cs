using Embeddings.Models;
using Embeddings.Tokenization;

namespace Embeddings.InputEncoding;

/// <summary>
/// Turns caller texts into token sequences the way sentence-transformers does: prompt prepended,
/// lower-cased when the model asks for it, special tokens added, truncated to the model's limit while
/// keeping the special tokens. Tokenization runs in parallel for large inputs.
/// </summary>
internal sealed class InputEncoder
{
    /// <summary>Below this many texts, tokenizing on one thread is cheaper than coordinating several.</summary>
    private const int ParallelThreshold = 64;

    [ThreadStatic] private static int[]? t_ids;
    [ThreadStatic] private static int[]? t_typeIds;

    private readonly Tokenizer _tokenizer;
    private readonly int _maxLength;
    private readonly SequenceSide _direction;
    private readonly bool _lowercase;

    public InputEncoder(Tokenizer tokenizer, int maxLength, SequenceSide truncationSide, bool lowercase)
    {
        _tokenizer = tokenizer;
        _maxLength = maxLength;
        _direction = truncationSide;
        _lowercase = lowercase;
    }

    /// <summary>The model's limit in tokens, special tokens included.</summary>
    public int MaxLength => _maxLength;

    /// <summary>Encodes every text into full encodings (tokens, offsets, masks), for callers that need them.</summary>
    /// <param name="texts">Caller texts (already checked for null).</param>
    /// <param name="prompt">Text prepended to each, or "".</param>
    /// <param name="policy">Truncate, or throw for the first text that does not fit.</param>
    /// <param name="parameterName">The caller's parameter name, for errors.</param>
    /// <param name="cancellationToken">Checked between texts.</param>
    public EncodedInputs Encode(IReadOnlyList<string> texts, string prompt, OverlongInputPolicy policy, string parameterName, CancellationToken cancellationToken) =>
        Encode(texts, prompt, policy, null, parameterName, cancellationToken);

    /// <summary>Encodes every text into full encodings, cutting over-long texts at <paramref name="direction"/>.</summary>
    /// <param name="texts">Caller texts (already checked for null).</param>
    /// <param name="prompt">Text prepended to each, or "".</param>
    /// <param name="policy">Truncate, or throw for the first text that does not fit.</param>
    /// <param name="parameterName">The caller's parameter name, for errors.</param>
    /// <param name="cancellationToken">Checked between texts.</param>
    /// <param name="direction">The end to cut; null uses the model's side.</param>
    public EncodedInputs Encode(IReadOnlyList<string> texts, string prompt, OverlongInputPolicy policy, SequenceSide? direction, string parameterName,
        CancellationToken cancellationToken)
    {
        var truncate = new EncodeOptions { AddSpecialTokens = true, Truncation = new TruncationOptions(_maxLength, PairTruncationStrategy.LongestFirst, direction ?? _direction) };
        var whole = new EncodeOptions { AddSpecialTokens = true };
        var options = policy == OverlongInputPolicy.Truncate ? truncate : whole;
        var encodings = new Encoding[texts.Count];
        ForEach(texts.Count, cancellationToken, i => encodings[i] = _tokenizer.Encode(ModelInput(texts[i], prompt), options));

        if (policy == OverlongInputPolicy.Error)
            for (int i = 0; i < encodings.Length; i++)
                if (encodings[i].Length > _maxLength) throw new InputTooLongException(i, encodings[i].Length, _maxLength, parameterName);

        return new EncodedInputs(encodings,
            encodings.Select(e => e.Ids).ToArray(),
            encodings.Select(e => e.TypeIds).ToArray(),
            encodings.Select(e => e.WasTruncated).ToArray(),
            PromptLength(prompt));
    }

    /// <summary>
    /// Encodes every text into ids and type ids only, the same ids Encode gives, without building
    /// token strings, offsets or masks (what Embed and EmbedSparse need). Models truncated on the left take the
    /// full path, since the ids-only tokenizer path truncates on the right.
    /// </summary>
    /// <param name="texts">Caller texts (already checked for null).</param>
    /// <param name="prompt">Text prepended to each, or "".</param>
    /// <param name="policy">Truncate, or throw for the first text that does not fit.</param>
    /// <param name="parameterName">The caller's parameter name, for errors.</param>
    /// <param name="cancellationToken">Checked between texts.</param>
    public EncodedInputs EncodeIds(IReadOnlyList<string> texts, string prompt, OverlongInputPolicy policy, string parameterName, CancellationToken cancellationToken) =>
        EncodeIds(texts, prompt, policy, null, parameterName, cancellationToken);

    /// <summary>Encodes every text into ids and type ids only, cutting over-long texts at <paramref name="direction"/>.</summary>
    /// <param name="texts">Caller texts (already checked for null).</param>
    /// <param name="prompt">Text prepended to each, or "".</param>
    /// <param name="policy">Truncate, or throw for the first text that does not fit.</param>
    /// <param name="parameterName">The caller's parameter name, for errors.</param>
    /// <param name="cancellationToken">Checked between texts.</param>
    /// <param name="direction">The end to cut; null uses the model's side.</param>
    public EncodedInputs EncodeIds(IReadOnlyList<string> texts, string prompt, OverlongInputPolicy policy, SequenceSide? direction, string parameterName,
        CancellationToken cancellationToken)
    {
        if ((direction ?? _direction) == SequenceSide.Left) return Encode(texts, prompt, policy, direction, parameterName, cancellationToken);
        var ids = new int[texts.Count][];
        var typeIds = new int[texts.Count][];
        var truncated = new bool[texts.Count];
        int tooLong = -1;
        ForEach(texts.Count, cancellationToken, i =>
        {
            string text = ModelInput(texts[i], prompt);
            // One id past the limit tells whether the limit cut anything (the tokenizer stops early either way).
            var (probeIds, probeTypes) = Scratch();
            int count = _tokenizer.EncodeToIds(text, probeIds, probeTypes, _maxLength + 1);
            if (count > _maxLength)
            {
                if (policy == OverlongInputPolicy.Error)
                {
                    InterlockedMin(ref tooLong, i);
                    ids[i] = typeIds[i] = [];
                    return;
                }
                truncated[i] = true;
                count = _tokenizer.EncodeToIds(text, probeIds, probeTypes, _maxLength);
            }
            ids[i] = probeIds.AsSpan(0, count).ToArray();
            typeIds[i] = probeTypes.AsSpan(0, count).ToArray();
        });

        if (tooLong >= 0)
        {
            int length = _tokenizer.Encode(ModelInput(texts[tooLong], prompt), new EncodeOptions { AddSpecialTokens = true }).Length;
            throw new InputTooLongException(tooLong, length, _maxLength, parameterName);
        }
        return new EncodedInputs(null, ids, typeIds, truncated, PromptLength(prompt));
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

    private string ModelInput(string text, string prompt)
    {
        string input = prompt.Length == 0 ? text : string.Concat(prompt, text);
        return _lowercase ? input.ToLowerInvariant() : input;
    }

    private (int[] Ids, int[] TypeIds) Scratch()
    {
        // Room for the limit plus one, and for special tokens alone when the limit is smaller than they are.
        int size = _maxLength + 1 + _tokenizer.NumSpecialTokensToAdd(isPair: false);
        if (t_ids is null || t_ids.Length < size)
        {
            t_ids = new int[size];
            t_typeIds = new int[size];
        }
        return (t_ids, t_typeIds!);
    }

    private static void ForEach(int count, CancellationToken cancellationToken, Action<int> body)
    {
        if (count < ParallelThreshold)
        {
            for (int i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                body(i);
            }
        }
        else
        {
            Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, body);
        }
    }

    private static void InterlockedMin(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < 0 || value < current)
            if (Interlocked.CompareExchange(ref target, value, current) == current) return;
    }
}
