namespace Embeddings.Onnx.Native;

/// <summary>Reads an <c>OrtTensorTypeAndShapeInfo</c>: element type and dimensions (-1 where symbolic).</summary>
internal static unsafe class OrtTensorInfo
{
    /// <summary>Reads the element type and the dimensions of <paramref name="info"/>.</summary>
    public static (OrtElementType ElementType, long[] Shape) Read(OrtApi api, nint info)
    {
        OrtElementType elementType;
        api.Check(api.GetTensorElementType(info, &elementType));
        nuint rank;
        api.Check(api.GetDimensionsCount(info, &rank));
        var shape = new long[(int)rank];
        fixed (long* dims = shape)
            api.Check(api.GetDimensions(info, dims, rank));
        return (elementType, shape);
    }
}
