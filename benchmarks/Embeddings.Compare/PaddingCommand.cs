using Embeddings.InputEncoding;
using System.Text.Json;
using Embeddings.Batching;
using Embeddings.Benchmarks;
using Embeddings.Tokenization;

namespace Embeddings.Compare;

/// <summary>
/// <c>padding</c>: padded ÷ real tokens over the whole shared corpus, for the library's batching (input slices of
/// <see cref="SliceSize"/> texts, each planned by <see cref="BatchPlan"/> with a token budget) against naive
/// batches in input order. Texts are tokenized as the library does (special tokens, truncation to --max-length,
/// default 512). Options: --tokenizer FILE (default the bert-uncased fixture), --budgets 8192,..., --naive 32.
/// </summary>
internal static class PaddingCommand
{
    /// <summary>The library's slice size for large calls (Embeddings.Batching.InputSlices).</summary>
    private const int SliceSize = 4096;

    public static int Run(CommandLine options)
    {
        var tokenizer = Tokenizer.FromFile(options.String("tokenizer",
            Path.Combine(TestModels.Fixtures.TokenizerDir("bert-uncased"), "tokenizer.json")));
        int maxLength = options.Int("max-length", 512);
        int naive = options.Int("naive", 32);
        var budgets = options.String("budgets", $"{BatchingDefaults.MaxBatchTokens}").Split(',').Select(int.Parse).ToArray();
        int maxBatch = options.Int("max-batch", BatchingDefaults.MaxBatchSize);

        var texts = CorpusSample.Everything;
        var lengths = new int[texts.Count];
        Parallel.For(0, texts.Count, () => new int[maxLength + 8], (i, _, buffer) =>
        {
            lengths[i] = tokenizer.EncodeToIds(texts[i], buffer, maxLength);
            return buffer;
        }, _ => { });
        long real = lengths.Sum(l => (long)l);

        long naivePadded = 0;
        for (int start = 0; start < lengths.Length; start += naive)
        {
            int end = Math.Min(start + naive, lengths.Length);
            naivePadded += (long)(end - start) * lengths[start..end].Max();
        }

        var planned = budgets.Select(budget =>
        {
            long padded = 0;
            int batches = 0;
            for (int start = 0; start < lengths.Length; start += SliceSize)
            {
                var plan = BatchPlan.Create(lengths.AsSpan(start, Math.Min(SliceSize, lengths.Length - start)), budget, maxBatch);
                padded += plan.Batches.Sum(b => b.PaddedTokens);
                batches += plan.Batches.Count;
            }
            return new { budget, max_batch = maxBatch, batches, padded_tokens = padded, ratio = (double)padded / real };
        }).ToArray();

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            texts = texts.Count,
            real_tokens = real,
            max_length = maxLength,
            planned,
            naive = new { batch = naive, batches = (lengths.Length + naive - 1) / naive, padded_tokens = naivePadded, ratio = (double)naivePadded / real },
        }));
        return 0;
    }
}
