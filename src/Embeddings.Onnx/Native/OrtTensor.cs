namespace Embeddings.Onnx.Native;

/// <summary>Creates input tensors without copying: an <c>OrtValue</c> over memory the caller owns.</summary>
internal static unsafe class OrtTensor
{
    // Something to point at for tensors with no elements; ONNX Runtime never reads it.
    private static readonly long[] NoData = GC.AllocateArray<long>(1, pinned: true);

    /// <summary>
    /// An int64 tensor of <paramref name="shape"/> over <paramref name="data"/>, which is pinned until the
    /// returned value is disposed. The caller must not change the data while a run reads it.
    /// </summary>
    public static OrtValueHandle OverInt64(OrtRuntime runtime, Memory<long> data, ReadOnlySpan<long> shape)
    {
        long elements = ElementCount(shape);
        if (data.Length != elements)
            throw new ArgumentException($"The buffer holds {data.Length} elements; shape [{string.Join(", ", shape.ToArray())}] needs {elements}.", nameof(data));

        var api = runtime.Api;
        var pin = data.Pin();
        try
        {
            nint value;
            fixed (long* dims = shape)
            {
                api.Check(api.CreateTensorWithDataAsOrtValue(runtime.CpuMemory.DangerousGetHandle(), pin.Pointer,
                    (nuint)data.Length * sizeof(long), dims, (nuint)shape.Length, OrtElementType.Int64, &value));
            }
            return new OrtValueHandle(api, value, pin);
        }
        catch
        {
            pin.Dispose();
            throw;
        }
    }

    /// <summary>A tensor of <paramref name="shape"/>, which must have a zero dimension, holding no data.</summary>
    public static OrtValueHandle Empty(OrtRuntime runtime, OrtElementType elementType, ReadOnlySpan<long> shape)
    {
        if (ElementCount(shape) != 0)
            throw new ArgumentException($"Shape [{string.Join(", ", shape.ToArray())}] is not empty.", nameof(shape));

        var api = runtime.Api;
        nint value;
        fixed (long* dims = shape)
        fixed (long* nothing = NoData)
        {
            api.Check(api.CreateTensorWithDataAsOrtValue(runtime.CpuMemory.DangerousGetHandle(), nothing, 0,
                dims, (nuint)shape.Length, elementType, &value));
        }
        return new OrtValueHandle(api, value, keepAlive: null);
    }

    private static long ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var dimension in shape)
        {
            if (dimension < 0) throw new ArgumentException($"Dimension {dimension} is negative.", nameof(shape));
            count = checked(count * dimension);
        }
        return count;
    }
}
