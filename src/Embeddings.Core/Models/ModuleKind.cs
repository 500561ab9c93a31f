namespace Embeddings.Models;

/// <summary>The sentence-transformers modules this library runs, recognised by class-name suffix in modules.json.</summary>
public enum ModuleKind
{
    /// <summary>The transformer itself (<c>Transformer</c>, <c>MLMTransformer</c>): the model the inference backend runs.</summary>
    Transformer,
    /// <summary><c>Pooling</c>.</summary>
    Pooling,
    /// <summary><c>Dense</c>.</summary>
    Dense,
    /// <summary><c>Normalize</c>.</summary>
    Normalize,
    /// <summary><c>SpladePooling</c> (SparseEncoder).</summary>
    SpladePooling,
    /// <summary><c>MultiVectorMask</c> (MultiVectorEncoder): which token rows a multi-vector model scores.</summary>
    MultiVectorMask,
}

/// <summary>One entry of modules.json.</summary>
/// <param name="Kind">What the module does.</param>
/// <param name="Path">Its folder relative to the model folder ("" for the root).</param>
/// <param name="TypeName">The class name as written in modules.json.</param>
public sealed record ModuleEntry(ModuleKind Kind, string Path, string TypeName);
