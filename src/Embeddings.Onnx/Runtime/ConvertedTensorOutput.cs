using System.Buffers;
using System.Numerics.Tensors;
using Embeddings.Inference;

namespace Embeddings.Onnx.Runtime;

/// <summary>
/// A float32 copy of a half-precision output (fp16 and bf16 model variants), in a pooled buffer that
/// goes back to the pool on dispose.
/// </summary>
internal sealed class ConvertedTensorOutput : InferenceOutput
{
    private readonly long[] _shape;
    private readonly int _length;
    private float[]? _buffer;

    private ConvertedTensorOutput(long[] shape, int length)
    {
        _shape = shape;
        _length = length;
        _buffer = ArrayPool<float>.Shared.Rent(length);
    }

    /// <inheritdoc />
    public override ReadOnlySpan<long> Shape => _shape;

    /// <inheritdoc />
    public override ReadOnlySpan<float> Data
    {
        get
        {
            var buffer = Volatile.Read(ref _buffer);
            ObjectDisposedException.ThrowIf(buffer is null, this);
            return buffer.AsSpan(0, _length);
        }
    }

    /// <summary>Widens IEEE half-precision values.</summary>
    public static ConvertedTensorOutput FromFloat16(long[] shape, ReadOnlySpan<Half> values)
    {
        var output = new ConvertedTensorOutput(shape, values.Length);
        TensorPrimitives.ConvertToSingle(values, output._buffer.AsSpan(0, values.Length));
        return output;
    }

    /// <summary>Widens bfloat16 values: a bfloat16 is the upper half of the float32 with the same sign, exponent and leading mantissa bits.</summary>
    public static ConvertedTensorOutput FromBFloat16(long[] shape, ReadOnlySpan<ushort> values)
    {
        var output = new ConvertedTensorOutput(shape, values.Length);
        var destination = output._buffer.AsSpan(0, values.Length);
        for (int i = 0; i < values.Length; i++)
            destination[i] = BitConverter.Int32BitsToSingle(values[i] << 16);
        return output;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer) ArrayPool<float>.Shared.Return(buffer);
        base.Dispose(disposing);
    }
}
