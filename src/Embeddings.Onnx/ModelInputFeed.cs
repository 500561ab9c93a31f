using System.Text.RegularExpressions;
using Embeddings.Inference;
using Embeddings.Onnx.Native;

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
/// <param name="Node">The input.</param>
/// <param name="Source">What goes into it.</param>
internal sealed partial record ModelInputFeed(OrtNodeInfo Node, ModelInputSource Source)
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
    /// <param name="input">A model input.</param>
    /// <param name="modelPath">The model file, for errors.</param>
    /// <exception cref="NotSupportedException">The backend cannot feed this input.</exception>
    public static ModelInputFeed For(OrtNodeInfo input, string modelPath)
    {
        ModelInputSource? token = input.Name switch
        {
            "input_ids" => ModelInputSource.InputIds,
            "attention_mask" => ModelInputSource.AttentionMask,
            "token_type_ids" => ModelInputSource.TokenTypeIds,
            "position_ids" => ModelInputSource.PositionIds,
            _ => null,
        };
        if (token is { } source)
        {
            if (input.ValueType != OrtValueType.Tensor || input.ElementType != OrtElementType.Int64 || input.Shape.Count != 2)
                throw new NotSupportedException($"The model '{modelPath}' declares '{input}'; a [batch, sequence] int64 tensor was expected.");
            return new ModelInputFeed(input, source);
        }

        if (PastKeyValueName().IsMatch(input.Name))
        {
            bool isFloat = input.ElementType is OrtElementType.Float or OrtElementType.Float16 or OrtElementType.BFloat16;
            if (input.ValueType != OrtValueType.Tensor || !isFloat || input.Shape.Count != 4 || input.Shape[1] <= 0 || input.Shape[3] <= 0)
                throw new NotSupportedException($"The model '{modelPath}' declares '{input}'; a [batch, kv_heads, past_sequence, head_dim] float tensor with fixed kv_heads and head_dim was expected.");
            return new ModelInputFeed(input, ModelInputSource.EmptyPastKeyValue);
        }

        throw new NotSupportedException(
            $"The model '{modelPath}' requires the input '{input}', which this backend cannot feed. It feeds input_ids, attention_mask, " +
            "token_type_ids, position_ids and (empty) past_key_values.N.key/value.");
    }

    /// <summary>The shape of the empty cache tensor for a batch of <paramref name="batchSize"/>.</summary>
    public long[] EmptyPastShape(int batchSize) => [batchSize, Node.Shape[1], 0, Node.Shape[3]];

    [GeneratedRegex(@"^past_key_values\.\d+\.(key|value)$", RegexOptions.CultureInvariant)]
    private static partial Regex PastKeyValueName();
}
