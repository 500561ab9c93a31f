using System.Numerics.Tensors;

namespace Embeddings.PostProcessing;

/// <summary>L2 normalization as torch's <c>F.normalize(x, p=2)</c> does it: x / max(‖x‖, 1e-12).</summary>
public static class VectorNormalization
{
    /// <summary>The floor under the norm, so a zero vector stays zero instead of becoming NaN.</summary>
    public const float Epsilon = 1e-12f;

    /// <summary>Scales <paramref name="vector"/> in place to unit length (a zero vector stays zero).</summary>
    /// <param name="vector">The vector.</param>
    public static void NormalizeInPlace(Span<float> vector)
    {
        float norm = TensorPrimitives.Norm(vector);
        TensorPrimitives.Divide(vector, MathF.Max(norm, Epsilon), vector);
    }

    /// <summary>Normalizes each row of a row-major [rows × dimension] matrix in place.</summary>
    /// <param name="matrix">The rows, back to back.</param>
    /// <param name="dimension">The row width.</param>
    public static void NormalizeRowsInPlace(Span<float> matrix, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (matrix.Length % dimension != 0) throw new ArgumentException("the matrix length is not a multiple of the dimension.", nameof(matrix));
        for (int start = 0; start < matrix.Length; start += dimension)
            NormalizeInPlace(matrix.Slice(start, dimension));
    }
}
