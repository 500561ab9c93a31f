namespace Embeddings.Batching;

/// <summary>Checks that a model output has one row per sequence of the batch that produced it.</summary>
internal static class OutputShape
{
    /// <summary>
    /// Accepts [count, length, width] (per-token outputs) or [count, width] (pooled ones) and returns how many
    /// floats one sequence owns; anything else is a model this library cannot read.
    /// </summary>
    /// <exception cref="InvalidOperationException">The shape does not fit the batch.</exception>
    public static int RowSize(ReadOnlySpan<long> shape, int count, int length, string outputName, out int width)
    {
        if (shape.Length is < 2 or > 3 || shape[0] != count || (shape.Length == 3 && shape[1] != length))
            throw new InvalidOperationException(
                $"The model's output '{outputName}' has shape [{string.Join(", ", shape.ToArray())}]; expected [{count}, {length}, width] or [{count}, width].");
        width = checked((int)shape[^1]);
        return shape.Length == 3 ? length * width : width;
    }
}
