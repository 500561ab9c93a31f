namespace Embeddings.Static;

/// <summary>Which library saved a static embedding folder; it decides how texts are tokenized.</summary>
public enum StaticModelFormat
{
    /// <summary>
    /// A sentence-transformers <c>StaticEmbedding</c> module (sentence-transformers 5 or 6): every token of the text
    /// (no special tokens; the tokenizer's own truncation applies) is averaged; Normalize follows modules.json.
    /// </summary>
    SentenceTransformers,

    /// <summary>
    /// A Model2Vec folder (config.json, model.safetensors <c>embeddings</c>, tokenizer.json): the unknown token is left
    /// out of the average, texts are cut at 512 tokens, and config.json's <c>normalize</c> decides normalization.
    /// </summary>
    Model2Vec,
}
