using System.Runtime.InteropServices;
using Embeddings.Inference;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Embeddings.Onnx.Runtime;

/// <summary>
/// A float32 output read in place from the runtime's buffer. Disposing it releases the <see cref="OrtValue"/>
/// and the session lease the run took, exactly once.
/// </summary>
internal sealed class OrtTensorOutput : InferenceOutput
{
    private readonly long[] _shape;
    private OrtValue? _value;
    private Action? _release;

    private OrtTensorOutput(OrtValue value, long[] shape, Action release)
    {
        _value = value;
        _shape = shape;
        _release = release;
    }

    /// <inheritdoc />
    public override ReadOnlySpan<long> Shape => _shape;

    /// <inheritdoc />
    public override ReadOnlySpan<float> Data
    {
        get
        {
            var value = Volatile.Read(ref _value);
            ObjectDisposedException.ThrowIf(value is null, this);
            return value.GetTensorDataAsSpan<float>();
        }
    }

    /// <summary>
    /// Wraps a run's output: float32 is viewed in place; float16 and bfloat16 are widened into a pooled
    /// float32 buffer and the native value released at once.
    /// </summary>
    /// <param name="value">The output value; this method takes ownership.</param>
    /// <param name="name">The output's name, for errors.</param>
    /// <param name="release">Gives back the session lease; called once, when the native value is gone.</param>
    /// <exception cref="NotSupportedException">The output is not a float tensor, or too large for one span.</exception>
    public static InferenceOutput FromValue(OrtValue value, string name, Action release)
    {
        bool handedOver = false;
        try
        {
            if (!value.IsTensor)
                throw new NotSupportedException($"The output '{name}' is a {value.OnnxType}, not a tensor.");
            var info = value.GetTensorTypeAndShape();
            long[] shape = info.Shape;
            long count = info.ElementCount;
            if (count > int.MaxValue)
                throw new NotSupportedException($"The output '{name}' [{string.Join(", ", shape)}] has {count} elements, more than one buffer can hold; run smaller batches.");

            switch (info.ElementDataType)
            {
                case TensorElementType.Float:
                    handedOver = true;
                    return new OrtTensorOutput(value, shape, release);
                // The raw bytes: the typed accessors check the element type against ONNX Runtime's own half structs.
                case TensorElementType.Float16:
                    return ConvertedTensorOutput.FromFloat16(shape, MemoryMarshal.Cast<byte, Half>(value.GetTensorMutableRawData()));
                case TensorElementType.BFloat16:
                    return ConvertedTensorOutput.FromBFloat16(shape, MemoryMarshal.Cast<byte, ushort>(value.GetTensorMutableRawData()));
                default:
                    throw new NotSupportedException($"The output '{name}' holds {info.ElementDataType} elements; only float32, float16 and bfloat16 outputs are supported.");
            }
        }
        finally
        {
            if (!handedOver)
            {
                value.Dispose();
                release();
            }
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _value, null) is { } value)
        {
            value.Dispose();
            Interlocked.Exchange(ref _release, null)?.Invoke();
        }
        base.Dispose(disposing);
    }
}
