using Embeddings.Inference;

namespace Embeddings.Onnx.Native;

/// <summary>
/// A float32 output read in place from the runtime's buffer; disposing it releases the <c>OrtValue</c>
/// (and with it the session reference it holds).
/// </summary>
internal sealed unsafe class OrtTensorOutput : InferenceOutput
{
    private readonly long[] _shape;
    private readonly float* _data;
    private readonly int _length;
    private OrtValueHandle? _value;

    private OrtTensorOutput(OrtValueHandle value, long[] shape, float* data, int length)
    {
        _value = value;
        _shape = shape;
        _data = data;
        _length = length;
    }

    /// <inheritdoc />
    public override ReadOnlySpan<long> Shape => _shape;

    /// <inheritdoc />
    public override ReadOnlySpan<float> Data
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _value) is null, this);
            return new ReadOnlySpan<float>(_data, _length);
        }
    }

    /// <summary>
    /// Wraps a run's output: float32 is viewed in place; float16 and bfloat16 are widened into a pooled
    /// float32 buffer and the native value released at once.
    /// </summary>
    /// <param name="api">The function table.</param>
    /// <param name="value">The output value; this method takes ownership.</param>
    /// <param name="name">The output's name, for errors.</param>
    /// <exception cref="NotSupportedException">The output is not a float tensor, or too large for one span.</exception>
    public static InferenceOutput FromValue(OrtApi api, OrtValueHandle value, string name)
    {
        try
        {
            var native = value.DangerousGetHandle();
            nint info;
            api.Check(api.GetTensorTypeAndShape(native, &info));
            OrtElementType elementType;
            long[] shape;
            nuint count;
            using (new OrtTensorTypeAndShapeInfoHandle(api, info))
            {
                (elementType, shape) = OrtTensorInfo.Read(api, info);
                api.Check(api.GetTensorShapeElementCount(info, &count));
            }
            if (count > int.MaxValue)
                throw new NotSupportedException($"The output '{name}' [{string.Join(", ", shape)}] has {count} elements, more than one buffer can hold; run smaller batches.");

            void* data;
            api.Check(api.GetTensorMutableData(native, &data));
            if (elementType == OrtElementType.Float) return new OrtTensorOutput(value, shape, (float*)data, (int)count);
            InferenceOutput widened = elementType switch
            {
                OrtElementType.Float16 => ConvertedTensorOutput.FromFloat16(shape, new ReadOnlySpan<Half>(data, (int)count)),
                OrtElementType.BFloat16 => ConvertedTensorOutput.FromBFloat16(shape, new ReadOnlySpan<ushort>(data, (int)count)),
                _ => throw new NotSupportedException($"The output '{name}' holds {elementType} elements; only float32, float16 and bfloat16 outputs are supported."),
            };
            value.Dispose();
            return widened;
        }
        catch
        {
            value.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        Interlocked.Exchange(ref _value, null)?.Dispose();
        base.Dispose(disposing);
    }
}
