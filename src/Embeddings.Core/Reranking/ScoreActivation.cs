namespace Embeddings.Reranking;

/// <summary>The function a cross-encoder applies to its logit to give a score (sentence-transformers' <c>activation_fn</c>).</summary>
public enum ScoreActivation
{
    /// <summary>The logit itself (<c>torch.nn.Identity</c>).</summary>
    Identity,
    /// <summary>1 / (1 + e^-x) (<c>torch.nn.Sigmoid</c>): sentence-transformers' default for single-label models.</summary>
    Sigmoid,
    /// <summary>tanh(x) (<c>torch.nn.Tanh</c>).</summary>
    Tanh,
}
