using System.Numerics.Tensors;

namespace Embeddings.Pooling;

/// <summary>
/// Span-in, span-out pooling kernels over the hidden states of one sequence.
/// </summary>
/// <remarks>
/// Every kernel takes <c>hidden</c> as [T, H] row-major (one sequence of a [B, T, H] batch output),
/// <c>mask</c> as [T] (non-zero = real token) and writes H values to <c>destination</c>. Only the real
/// tokens are read, always in the same order, so a sequence pools to the same bits whatever padding
/// surrounds it: that is half of the padding-invariance guarantee (the other half is the attention
/// mask inside the model). <c>skip</c> leaves out the first <c>skip</c> real tokens (sentence-transformers'
/// <c>include_prompt: false</c>); a sequence with no pooled token gives zeros (max gives zeros too,
/// rather than sentence-transformers' -1e9 fill, so that an empty text never produces a huge vector).
/// The vector arithmetic is <see cref="TensorPrimitives"/>, which picks the widest SIMD the CPU has.
/// </remarks>
internal static class PoolingKernels
{
    /// <summary>mean = Σ h_t / n over the pooled real tokens.</summary>
    /// <param name="hidden">[T, H] hidden states.</param>
    /// <param name="mask">[T] attention mask.</param>
    /// <param name="dimension">H.</param>
    /// <param name="destination">H values.</param>
    /// <param name="skip">Leading real tokens to leave out.</param>
    public static void Mean(ReadOnlySpan<float> hidden, ReadOnlySpan<long> mask, int dimension, Span<float> destination, int skip = 0)
    {
        int count = Sum(hidden, mask, dimension, destination, skip);
        if (count > 0) TensorPrimitives.Divide(destination, count, destination);
    }

    /// <summary>Σ h_t / √n over the pooled real tokens.</summary>
    /// <inheritdoc cref="Mean" path="/param"/>
    public static void MeanSqrtLength(ReadOnlySpan<float> hidden, ReadOnlySpan<long> mask, int dimension, Span<float> destination, int skip = 0)
    {
        int count = Sum(hidden, mask, dimension, destination, skip);
        if (count > 0) TensorPrimitives.Divide(destination, MathF.Sqrt(count), destination);
    }

    /// <summary>Σ i·h_i / Σ i, where i is the 1-based position of the token among the sequence's real tokens.</summary>
    /// <inheritdoc cref="Mean" path="/param"/>
    public static void WeightedMean(ReadOnlySpan<float> hidden, ReadOnlySpan<long> mask, int dimension, Span<float> destination, int skip = 0)
    {
        Validate(hidden, mask, dimension, destination);
        destination.Clear();
        int position = 0;
        float weights = 0;
        for (int t = 0; t < mask.Length; t++)
        {
            if (mask[t] == 0) continue;
            position++;
            if (position <= skip) continue;
            TensorPrimitives.MultiplyAdd(hidden.Slice(t * dimension, dimension), position, destination, destination);
            weights += position;
        }
        if (weights > 0) TensorPrimitives.Divide(destination, weights, destination);
    }

    /// <summary>The element-wise maximum over the pooled real tokens.</summary>
    /// <inheritdoc cref="Mean" path="/param"/>
    public static void Max(ReadOnlySpan<float> hidden, ReadOnlySpan<long> mask, int dimension, Span<float> destination, int skip = 0)
    {
        Validate(hidden, mask, dimension, destination);
        bool any = false;
        int seen = 0;
        for (int t = 0; t < mask.Length; t++)
        {
            if (mask[t] == 0 || ++seen <= skip) continue;
            var row = hidden.Slice(t * dimension, dimension);
            if (any) TensorPrimitives.Max(destination, row, destination);
            else row.CopyTo(destination);
            any = true;
        }
        if (!any) destination.Clear();
    }

    /// <summary>The first real token (left padding puts pads before it).</summary>
    /// <inheritdoc cref="Mean" path="/param"/>
    public static void Cls(ReadOnlySpan<float> hidden, ReadOnlySpan<long> mask, int dimension, Span<float> destination)
    {
        Validate(hidden, mask, dimension, destination);
        int t = mask.IndexOfAnyExcept(0L);
        if (t < 0) destination.Clear();
        else hidden.Slice(t * dimension, dimension).CopyTo(destination);
    }

    /// <summary>The last real token (right padding puts pads after it).</summary>
    /// <inheritdoc cref="Mean" path="/param"/>
    public static void LastToken(ReadOnlySpan<float> hidden, ReadOnlySpan<long> mask, int dimension, Span<float> destination)
    {
        Validate(hidden, mask, dimension, destination);
        int t = mask.LastIndexOfAnyExcept(0L);
        if (t < 0) destination.Clear();
        else hidden.Slice(t * dimension, dimension).CopyTo(destination);
    }

    private static int Sum(ReadOnlySpan<float> hidden, ReadOnlySpan<long> mask, int dimension, Span<float> destination, int skip)
    {
        Validate(hidden, mask, dimension, destination);
        destination.Clear();
        int count = 0, seen = 0;
        for (int t = 0; t < mask.Length; t++)
        {
            if (mask[t] == 0 || ++seen <= skip) continue;
            TensorPrimitives.Add(destination, hidden.Slice(t * dimension, dimension), destination);
            count++;
        }
        return count;
    }

    private static void Validate(ReadOnlySpan<float> hidden, ReadOnlySpan<long> mask, int dimension, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (hidden.Length != mask.Length * dimension)
            throw new ArgumentException($"hidden holds {hidden.Length} values; a mask of {mask.Length} tokens × {dimension} needs {mask.Length * dimension}.", nameof(hidden));
        if (destination.Length != dimension)
            throw new ArgumentException($"destination holds {destination.Length} values; expected {dimension}.", nameof(destination));
    }
}
