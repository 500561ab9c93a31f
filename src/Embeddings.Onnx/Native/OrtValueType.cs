namespace Embeddings.Onnx.Native;

/// <summary>The C API's <c>ONNXType</c>: what kind of value a model input or output is.</summary>
internal enum OrtValueType
{
    Unknown = 0,
    Tensor = 1,
    Sequence = 2,
    Map = 3,
    Opaque = 4,
    SparseTensor = 5,
    Optional = 6,
}
