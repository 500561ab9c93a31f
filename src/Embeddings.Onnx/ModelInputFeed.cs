using System.Text.RegularExpressions;
using Embeddings.Inference;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Embeddings.Onnx;

/// <summary>What the backend puts into one model input.</summary>
internal enum ModelInputSource
{
    /// <summary><see cref="InferenceBatch.InputIds"/>.</summary>
    InputIds,
    /// <summary><see cref="InferenceBatch.AttentionMask"/>.</summary>
    AttentionMask,
    /// <summary><see cref="InferenceBatch.TokenTypeIds"/>, or zeros when the batch has none.</summary>
    TokenTypeIds,
    /// <summary><see cref="InferenceBatch.PositionIds"/>.</summary>
    PositionIds,
    /// <summary>An empty key/value cache, [batch, kv_heads, 0, head_dim], for decoder exports with past inputs.</summary>
    EmptyPastKeyValue,
}

/// <summary>How one model input is fed, decided once when the model is loaded.</summary>
/// <param name="Name">The input's name.</param>
/// <param name="Node">The input's type and declared shape.</param>
/// <param name="Source">What goes into it.</param>
internal sealed partial record ModelInputFeed(string Name, NodeMetadata Node, ModelInputSource Source)
{
    /// <summary>The flag this input sets in <see cref="ModelSignature.Inputs"/>, if it is a standard one.</summary>
    public ModelInputs Flag => Source switch
    {
        ModelInputSource.InputIds => ModelInputs.InputIds,
        ModelInputSource.AttentionMask => ModelInputs.AttentionMask,
        ModelInputSource.TokenTypeIds => ModelInputs.TokenTypeIds,
        ModelInputSource.PositionIds => ModelInputs.PositionIds,
        _ => ModelInputs.None,
    };

    /// <summary>Decides how to feed <paramref name="input"/>.</summary>
    /// <param name="name">A model input's name.</param>
    /// <param name="input">Its type and declared shape.</param>
    /// <param name="modelPath">The model file, for errors.</param>
    /// <exception cref="NotSupportedException">The backend cannot feed this input.</exception>
    public static ModelInputFeed For(string name, NodeMetadata input, string modelPath)
    {
        string described = Describe(name, input);
        ModelInputSource? token = name switch
        {
            "input_ids" => ModelInputSource.InputIds,
            "attention_mask" => ModelInputSource.AttentionMask,
            "token_type_ids" => ModelInputSource.TokenTypeIds,
            "position_ids" => ModelInputSource.PositionIds,
            _ => null,
        };
        if (token is { } source)
        {
            if (!input.IsTensor || input.ElementDataType != TensorElementType.Int64 || input.Dimensions.Length != 2)
                throw new NotSupportedException($"The model '{modelPath}' declares '{described}'; a [batch, sequence] int64 tensor was expected.");
            return new ModelInputFeed(name, input, source);
        }

        if (PastKeyValueName().IsMatch(name))
        {
            bool isFloat = input.IsTensor && input.ElementDataType is TensorElementType.Float or TensorElementType.Float16 or TensorElementType.BFloat16;
            var shape = input.IsTensor ? input.Dimensions : [];
            if (!isFloat || shape.Length != 4 || shape[1] <= 0 || shape[3] <= 0)
                throw new NotSupportedException($"The model '{modelPath}' declares '{described}'; a [batch, kv_heads, past_sequence, head_dim] float tensor with fixed kv_heads and head_dim was expected.");
            return new ModelInputFeed(name, input, ModelInputSource.EmptyPastKeyValue);
        }

        throw new NotSupportedException(
            $"The model '{modelPath}' requires the input '{described}', which this backend cannot feed. It feeds input_ids, attention_mask, " +
            "token_type_ids, position_ids and (empty) past_key_values.N.key/value.");
    }

    /// <summary>The shape of the empty cache tensor for a batch of <paramref name="batchSize"/>.</summary>
    public long[] EmptyPastShape(int batchSize) => [batchSize, Node.Dimensions[1], 0, Node.Dimensions[3]];

    /// <summary>A node's declared dimensions, -1 where symbolic or unknown; empty for non-tensors.</summary>
    public static long[] Shape(NodeMetadata node) => node.IsTensor ? node.Dimensions.Select(d => d >= 0 ? (long)d : -1L).ToArray() : [];

    /// <inheritdoc />
    public override string ToString() => Describe(Name, Node);

    private static string Describe(string name, NodeMetadata node) =>
        node.IsTensor ? $"{name}: {ElementTypeName(node.ElementDataType)} [{string.Join(", ", Shape(node))}]" : $"{name}: {node.OnnxValueType}";

    // The names ONNX itself uses (and the earlier messages used), e.g. Int32 for int32 where a model declares it.
    private static string ElementTypeName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "Float",
        TensorElementType.Float16 => "Float16",
        TensorElementType.BFloat16 => "BFloat16",
        _ => type.ToString(),
    };

    [GeneratedRegex(@"^past_key_values\.\d+\.(key|value)$", RegexOptions.CultureInvariant)]
    private static partial Regex PastKeyValueName();
}
