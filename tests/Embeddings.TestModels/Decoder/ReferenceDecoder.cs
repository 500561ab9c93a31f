using static Embeddings.TestModels.ReferenceMath;

namespace Embeddings.TestModels.Decoder;

/// <summary>
/// A plain forward pass of the Qwen3-like decoder in double precision over a <see cref="DecoderWeights"/>:
/// one unpadded sequence at a time, each token attending to itself and the tokens before it. It is the
/// independent check on what <see cref="DecoderModelBuilder"/> writes.
/// </summary>
/// <remarks>Thread-safe: it only reads the weights.</remarks>
public sealed class ReferenceDecoder
{
    /// <summary>Creates the reference over <paramref name="weights"/> (read, never copied or changed).</summary>
    /// <param name="weights">The weights.</param>
    public ReferenceDecoder(DecoderWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Weights = weights;
    }

    /// <summary>The weights.</summary>
    public DecoderWeights Weights { get; }

    private DecoderShape Shape => Weights.Shape;

    /// <summary>The final-normed hidden states [tokens][hidden] of one sequence.</summary>
    /// <param name="inputIds">The token ids (at least one).</param>
    /// <param name="positionIds">Positions, or empty for 0, 1, 2, ….</param>
    public double[][] LastHiddenState(ReadOnlySpan<long> inputIds, ReadOnlySpan<long> positionIds = default)
    {
        CheckInputs(inputIds, positionIds);
        int tokens = inputIds.Length, hidden = Shape.Hidden;
        var states = new double[tokens][];
        for (int t = 0; t < tokens; t++)
        {
            var embedding = states[t] = new double[hidden];
            for (int table = 0; table < Weights.EmbeddingTables.Count; table++)
            {
                long row = inputIds[t] % Weights.EmbeddingTableRows(table);
                for (int i = 0; i < hidden; i++) embedding[i] += Weights.EmbeddingTables[table][row * hidden + i];
            }
        }
        var positions = new long[tokens];
        for (int t = 0; t < tokens; t++) positions[t] = positionIds.IsEmpty ? t : positionIds[t];

        foreach (var layer in Weights.Layers) states = Layer(layer, states, positions);
        return states.Select(s => RmsNorm(s, Weights.FinalNorm.Scale, Shape.RmsNormEpsilon)).ToArray();
    }

    private double[][] Layer(DecoderLayerWeights layer, double[][] input, long[] positions)
    {
        int tokens = input.Length, headSize = Shape.HeadSize, groupSize = Shape.GroupSize;
        double eps = Shape.RmsNormEpsilon, scale = 1 / Math.Sqrt(headSize);

        var normed = input.Select(x => RmsNorm(x, layer.InputNorm.Scale, eps)).ToArray();
        // Per head: RMSNorm over the head's features, then rotation by the token's position.
        var queries = new double[tokens][][];
        var keys = new double[tokens][][];
        var values = new double[tokens][][];
        for (int t = 0; t < tokens; t++)
        {
            var q = Linear(normed[t], layer.Query);
            var k = Linear(normed[t], layer.Key);
            var v = Linear(normed[t], layer.Value);
            queries[t] = Enumerable.Range(0, Shape.Heads)
                .Select(h => Rotate(RmsNorm(q.AsSpan(h * headSize, headSize), layer.QueryNorm.Scale, eps), positions[t])).ToArray();
            keys[t] = Enumerable.Range(0, Shape.KeyValueHeads)
                .Select(h => Rotate(RmsNorm(k.AsSpan(h * headSize, headSize), layer.KeyNorm.Scale, eps), positions[t])).ToArray();
            values[t] = Enumerable.Range(0, Shape.KeyValueHeads).Select(h => v.AsSpan(h * headSize, headSize).ToArray()).ToArray();
        }

        var output = new double[tokens][];
        for (int t = 0; t < tokens; t++)
        {
            var context = new double[Shape.Heads * headSize];
            for (int h = 0; h < Shape.Heads; h++)
            {
                int kv = h / groupSize;
                var scores = new double[t + 1];
                for (int s = 0; s <= t; s++) scores[s] = Dot(queries[t][h], keys[s][kv]) * scale;
                var p = Softmax(scores);
                for (int s = 0; s <= t; s++)
                    for (int d = 0; d < headSize; d++) context[h * headSize + d] += p[s] * values[s][kv][d];
            }
            var residual = Linear(context, layer.AttentionOutput);
            for (int i = 0; i < residual.Length; i++) residual[i] += input[t][i];

            var y = RmsNorm(residual, layer.PostAttentionNorm.Scale, eps);
            var gate = Linear(y, layer.Gate);
            var up = Linear(y, layer.Up);
            for (int i = 0; i < gate.Length; i++) gate[i] = gate[i] / (1 + Math.Exp(-gate[i])) * up[i];
            var down = Linear(gate, layer.Down);
            for (int i = 0; i < down.Length; i++) down[i] += residual[i];
            output[t] = down;
        }
        return output;
    }

    /// <summary>Rotary embedding: pairs (xᵢ, xᵢ₊half) rotated by position × inverse frequency i.</summary>
    private double[] Rotate(double[] x, long position)
    {
        int half = x.Length / 2;
        var y = new double[x.Length];
        for (int i = 0; i < half; i++)
        {
            double angle = position * (double)Weights.RotaryInverseFrequencies[i];
            double cos = Math.Cos(angle), sin = Math.Sin(angle);
            y[i] = x[i] * cos - x[i + half] * sin;
            y[i + half] = x[i + half] * cos + x[i] * sin;
        }
        return y;
    }

    private void CheckInputs(ReadOnlySpan<long> inputIds, ReadOnlySpan<long> positionIds)
    {
        if (inputIds.IsEmpty) throw new ArgumentException("The sequence has no tokens.", nameof(inputIds));
        for (int i = 0; i < inputIds.Length; i++)
            if ((ulong)inputIds[i] >= (ulong)Shape.Vocab)
                throw new ArgumentOutOfRangeException(nameof(inputIds), inputIds[i], $"inputIds[{i}] = {inputIds[i]} is outside [0, {Shape.Vocab}).");
        if (positionIds.IsEmpty) return;
        if (positionIds.Length != inputIds.Length)
            throw new ArgumentException($"{positionIds.Length} position ids for {inputIds.Length} tokens.", nameof(positionIds));
        for (int i = 0; i < positionIds.Length; i++)
            if (positionIds[i] < 0)
                throw new ArgumentOutOfRangeException(nameof(positionIds), positionIds[i], $"positionIds[{i}] = {positionIds[i]} is negative.");
    }
}
