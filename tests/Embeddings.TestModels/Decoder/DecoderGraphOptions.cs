namespace Embeddings.TestModels.Decoder;

/// <summary>Which inputs and outputs a written decoder graph declares. The weights do not depend on these options.</summary>
public sealed record DecoderGraphOptions
{
    /// <summary>
    /// Declare an int64 <c>position_ids</c> input. When false, the graph derives positions from the mask as
    /// <c>cumsum(mask) − 1</c> (padding gets 1), so left padding does not shift them.
    /// </summary>
    public bool PositionIds { get; init; }

    /// <summary>The name of the per-token output.</summary>
    public string HiddenStateOutputName { get; init; } = "last_hidden_state";

    /// <summary>Cast the output to float16 (the graph itself computes in float32).</summary>
    public bool Float16Outputs { get; init; }

    /// <summary>The default: <c>input_ids</c>, <c>attention_mask</c> in; <c>last_hidden_state</c> out.</summary>
    public static DecoderGraphOptions Default { get; } = new();

    /// <summary>Throws if the output name is unusable.</summary>
    /// <exception cref="ArgumentException">The output name is empty or taken by an input.</exception>
    public void Validate()
    {
        if (string.IsNullOrEmpty(HiddenStateOutputName) || HiddenStateOutputName is "input_ids" or "attention_mask" or "position_ids")
            throw new ArgumentException($"DecoderGraphOptions: '{HiddenStateOutputName}' cannot name the output.");
    }
}
