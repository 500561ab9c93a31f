namespace Embeddings.PostProcessing;

/// <summary>The compact encodings of sentence-transformers' <c>quantize_embeddings</c>.</summary>
public enum QuantizationPrecision
{
    /// <summary>One signed byte per dimension: floor((x − min) / step) − 128 with step = (max − min) / 255.</summary>
    Int8,
    /// <summary>One unsigned byte per dimension: floor((x − min) / step).</summary>
    UInt8,
    /// <summary>One bit per dimension (x &gt; 0), packed 8 per byte, first dimension in the high bit, minus 128 as a signed byte.</summary>
    Binary,
    /// <summary>One bit per dimension (x &gt; 0), packed 8 per byte, first dimension in the high bit.</summary>
    UBinary,
}
