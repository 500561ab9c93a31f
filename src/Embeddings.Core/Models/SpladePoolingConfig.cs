namespace Embeddings.Models;

/// <summary>A sentence-transformers SparseEncoder <c>SpladePooling</c> module: how vocabulary logits become one sparse vector.</summary>
public sealed record SpladePoolingConfig
{
    /// <summary>True for max over tokens (the SPLADE default), false for sum.</summary>
    public bool UseMax { get; init; } = true;

    /// <summary>The vocabulary width the module expects, when declared.</summary>
    public int? Dimension { get; init; }

    /// <summary>Reads <c>1_SpladePooling/config.json</c>; only the log(1 + relu) activation exists.</summary>
    /// <param name="path">The file.</param>
    public static SpladePoolingConfig Load(string path)
    {
        using var document = JsonConfigFile.Read(path);
        var root = JsonConfigFile.RootObject(document, path);
        string strategy = JsonConfigFile.String(root, "pooling_strategy", path) ?? "max";
        string activation = JsonConfigFile.String(root, "activation_function", path) ?? "relu";
        if (!string.Equals(activation, "relu", StringComparison.OrdinalIgnoreCase))
            throw new ModelConfigurationException($"SpladePooling activation_function \"{activation}\" is not supported; only relu (log(1 + relu(x))) is.", path);
        long? dimension = JsonConfigFile.Integer(root, "word_embedding_dimension", path);
        return new SpladePoolingConfig
        {
            UseMax = strategy switch
            {
                "max" => true,
                "sum" => false,
                _ => throw new ModelConfigurationException($"SpladePooling pooling_strategy \"{strategy}\" is not supported; use max or sum.", path),
            },
            Dimension = dimension is > 0 and <= int.MaxValue ? (int)dimension : null,
        };
    }
}
