namespace Embeddings.Onnx;

/// <summary>
/// Which ONNX file of a model folder to run. Hugging Face ONNX exports put variants side by side in
/// <c>onnx/</c>: <c>model.onnx</c>, <c>model_quantized.onnx</c>, <c>model_O1.onnx</c> … <c>model_fp16.onnx</c>.
/// </summary>
public enum OnnxModelVariant
{
    /// <summary><c>model.onnx</c> (float32).</summary>
    Default,
    /// <summary><c>model_quantized.onnx</c> (dynamic int8: outputs depend on batch composition).</summary>
    Quantized,
    /// <summary><c>model_int8.onnx</c> (dynamic int8).</summary>
    Int8,
    /// <summary><c>model_uint8.onnx</c> (dynamic uint8).</summary>
    UInt8,
    /// <summary><c>model_qint8_avx512.onnx</c> (dynamic int8 for AVX-512 CPUs).</summary>
    QInt8Avx512,
    /// <summary><c>model_O1.onnx</c> (basic graph optimizations baked in).</summary>
    O1,
    /// <summary><c>model_O2.onnx</c>.</summary>
    O2,
    /// <summary><c>model_O3.onnx</c>.</summary>
    O3,
    /// <summary><c>model_O4.onnx</c> (GPU-oriented, float16).</summary>
    O4,
    /// <summary><c>model_fp16.onnx</c> (float16 weights).</summary>
    Float16,
}

/// <summary>File names of <see cref="OnnxModelVariant"/>s.</summary>
public static class OnnxModelVariants
{
    /// <summary>The file name of <paramref name="variant"/>.</summary>
    /// <param name="variant">The variant.</param>
    public static string FileName(this OnnxModelVariant variant) => variant switch
    {
        OnnxModelVariant.Default => "model.onnx",
        OnnxModelVariant.Quantized => "model_quantized.onnx",
        OnnxModelVariant.Int8 => "model_int8.onnx",
        OnnxModelVariant.UInt8 => "model_uint8.onnx",
        OnnxModelVariant.QInt8Avx512 => "model_qint8_avx512.onnx",
        OnnxModelVariant.O1 => "model_O1.onnx",
        OnnxModelVariant.O2 => "model_O2.onnx",
        OnnxModelVariant.O3 => "model_O3.onnx",
        OnnxModelVariant.O4 => "model_O4.onnx",
        OnnxModelVariant.Float16 => "model_fp16.onnx",
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, null),
    };

    /// <summary>True for dynamically quantized variants, whose activation scales are computed per batch,
    /// so a text's embedding depends slightly on what else is in its batch.</summary>
    /// <param name="variant">The variant.</param>
    public static bool IsDynamicallyQuantized(this OnnxModelVariant variant) =>
        variant is OnnxModelVariant.Quantized or OnnxModelVariant.Int8 or OnnxModelVariant.UInt8 or OnnxModelVariant.QInt8Avx512;
}
