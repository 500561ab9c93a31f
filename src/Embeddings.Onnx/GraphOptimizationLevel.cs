namespace Embeddings.Onnx;

/// <summary>How much ONNX Runtime rewrites the model graph when a session is created (its <c>GraphOptimizationLevel</c>).</summary>
public enum GraphOptimizationLevel
{
    /// <summary>No optimization.</summary>
    None = 0,
    /// <summary>Semantics-preserving rewrites such as constant folding and redundant node removal.</summary>
    Basic = 1,
    /// <summary>Basic plus fusions (attention, layer normalization, GELU, …).</summary>
    Extended = 2,
    /// <summary>Everything, including layout optimizations: the fastest, and ONNX Runtime's own default.</summary>
    All = 99,
}
