namespace Embeddings.Pooling;

/// <summary>
/// How token vectors become one text vector: the sentence-transformers <c>1_Pooling</c> modes.
/// </summary>
public enum PoolingMode
{
    /// <summary>The first real token (the [CLS] or &lt;s&gt; token), whatever the padding side.</summary>
    Cls,
    /// <summary>The element-wise mean of the real tokens.</summary>
    Mean,
    /// <summary>The element-wise maximum over the real tokens.</summary>
    Max,
    /// <summary>The element-wise sum of the real tokens divided by the square root of their count.</summary>
    MeanSqrtLength,
    /// <summary>A mean weighted by position: the i-th real token (1-based) weighs i.</summary>
    WeightedMean,
    /// <summary>The last real token, whatever the padding side (decoder embedders).</summary>
    LastToken,
}
