namespace Embeddings.Onnx;

/// <summary>How ONNX Runtime schedules the operators of one run (its <c>ExecutionMode</c>).</summary>
public enum ExecutionMode
{
    /// <summary>One operator after another, each using the intra-op threads. Best for transformer encoders.</summary>
    Sequential = 0,
    /// <summary>Independent branches run at once on the inter-op threads.</summary>
    Parallel = 1,
}
