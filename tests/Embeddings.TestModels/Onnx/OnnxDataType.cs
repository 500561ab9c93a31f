namespace Embeddings.TestModels.Onnx;

/// <summary>ONNX tensor element types (the values of <c>TensorProto.DataType</c>) this writer uses.</summary>
public enum OnnxDataType
{
    /// <summary>32-bit IEEE 754 float.</summary>
    Float = 1,
    /// <summary>32-bit signed integer.</summary>
    Int32 = 6,
    /// <summary>64-bit signed integer.</summary>
    Int64 = 7,
    /// <summary>Boolean.</summary>
    Bool = 9,
    /// <summary>16-bit IEEE 754 half-precision float.</summary>
    Float16 = 10,
    /// <summary>64-bit IEEE 754 float.</summary>
    Double = 11,
}
