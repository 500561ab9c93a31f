using static Embeddings.TestModels.ReferenceMath;

namespace Embeddings.TestModels.Bert;

/// <summary>
/// A plain forward pass of the BERT encoder in double precision over a <see cref="BertWeights"/>: one
/// unpadded sequence at a time, token by token, no batching or masking. It is the independent check on
/// what <see cref="BertModelBuilder"/> writes, so it follows the textbook formulas rather than the graph.
/// </summary>
/// <remarks>Thread-safe: it only reads the weights.</remarks>
public sealed class ReferenceBert
{
    /// <summary>Creates the reference over <paramref name="weights"/> (read, never copied or changed).</summary>
    /// <param name="weights">The weights.</param>
    public ReferenceBert(BertWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Weights = weights;
    }

    /// <summary>The weights.</summary>
    public BertWeights Weights { get; }

    private BertShape Shape => Weights.Shape;

    /// <summary>The final hidden states [tokens][hidden] of one sequence.</summary>
    /// <param name="inputIds">The token ids (at least one).</param>
    /// <param name="tokenTypeIds">Segment ids, or empty for all zeros.</param>
    /// <param name="positionIds">Positions, or empty for 0, 1, 2, ….</param>
    public double[][] LastHiddenState(ReadOnlySpan<long> inputIds, ReadOnlySpan<long> tokenTypeIds = default,
        ReadOnlySpan<long> positionIds = default) =>
        Run(inputIds, tokenTypeIds, positionIds, keepTrace: false).LastHiddenState;

    /// <summary>Every intermediate result of one sequence: embeddings, attention probabilities and each layer's output.</summary>
    /// <param name="inputIds">The token ids (at least one).</param>
    /// <param name="tokenTypeIds">Segment ids, or empty for all zeros.</param>
    /// <param name="positionIds">Positions, or empty for 0, 1, 2, ….</param>
    public BertTrace Trace(ReadOnlySpan<long> inputIds, ReadOnlySpan<long> tokenTypeIds = default,
        ReadOnlySpan<long> positionIds = default) =>
        Run(inputIds, tokenTypeIds, positionIds, keepTrace: true);

    /// <summary>The mean of the final hidden states over the sequence's tokens (what <c>sentence_embedding</c> gives).</summary>
    /// <param name="inputIds">The token ids (at least one).</param>
    /// <param name="tokenTypeIds">Segment ids, or empty for all zeros.</param>
    /// <param name="positionIds">Positions, or empty for 0, 1, 2, ….</param>
    public double[] SentenceEmbedding(ReadOnlySpan<long> inputIds, ReadOnlySpan<long> tokenTypeIds = default,
        ReadOnlySpan<long> positionIds = default) =>
        Mean(LastHiddenState(inputIds, tokenTypeIds, positionIds));

    /// <summary>The masked-LM logits [tokens][vocab] of one sequence.</summary>
    /// <param name="inputIds">The token ids (at least one).</param>
    /// <param name="tokenTypeIds">Segment ids, or empty for all zeros.</param>
    /// <param name="positionIds">Positions, or empty for 0, 1, 2, ….</param>
    public double[][] Logits(ReadOnlySpan<long> inputIds, ReadOnlySpan<long> tokenTypeIds = default,
        ReadOnlySpan<long> positionIds = default) =>
        LogitsFromHiddenStates(LastHiddenState(inputIds, tokenTypeIds, positionIds));

    /// <summary>The masked-LM head on given hidden states: LayerNorm(GELU(h W + b)) · Eᵀ + bias, E the word embeddings.</summary>
    /// <param name="hiddenStates">[tokens][hidden].</param>
    public double[][] LogitsFromHiddenStates(IReadOnlyList<double[]> hiddenStates)
    {
        ArgumentNullException.ThrowIfNull(hiddenStates);
        int hidden = Shape.Hidden;
        var logits = new double[hiddenStates.Count][];
        for (int t = 0; t < logits.Length; t++)
        {
            var dense = Linear(hiddenStates[t], Weights.MlmTransform);
            for (int i = 0; i < dense.Length; i++) dense[i] = Gelu(dense[i]);
            var transformed = LayerNorm(dense, Weights.MlmLayerNorm, Shape.LayerNormEpsilon);
            var row = logits[t] = new double[Shape.Vocab];
            float[] embeddings = Weights.WordEmbeddings, bias = Weights.MlmDecoderBias;
            for (int v = 0; v < row.Length; v++)
            {
                double sum = bias[v];
                for (int i = 0; i < hidden; i++) sum += transformed[i] * embeddings[v * hidden + i];
                row[v] = sum;
            }
        }
        return logits;
    }

    /// <summary>The element-wise mean of rows.</summary>
    /// <param name="rows">At least one row, all the same length.</param>
    public static double[] Mean(IReadOnlyList<double[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("The mean of no rows.", nameof(rows));
        var mean = new double[rows[0].Length];
        foreach (var row in rows)
            for (int i = 0; i < mean.Length; i++) mean[i] += row[i];
        for (int i = 0; i < mean.Length; i++) mean[i] /= rows.Count;
        return mean;
    }

    private BertTrace Run(ReadOnlySpan<long> inputIds, ReadOnlySpan<long> tokenTypeIds, ReadOnlySpan<long> positionIds, bool keepTrace)
    {
        CheckInputs(inputIds, tokenTypeIds, positionIds);
        int tokens = inputIds.Length, hidden = Shape.Hidden;
        var w = Weights;

        var states = new double[tokens][];
        for (int t = 0; t < tokens; t++)
        {
            long position = positionIds.IsEmpty ? t : positionIds[t];
            long type = tokenTypeIds.IsEmpty ? 0 : tokenTypeIds[t];
            var sum = new double[hidden];
            for (int i = 0; i < hidden; i++)
                sum[i] = (double)w.WordEmbeddings[inputIds[t] * hidden + i]
                    + w.PositionEmbeddings[position * hidden + i]
                    + w.TokenTypeEmbeddings[type * hidden + i];
            states[t] = LayerNorm(sum, w.EmbeddingLayerNorm, Shape.LayerNormEpsilon);
        }

        var embeddings = states;
        var layers = new List<BertLayerTrace>();
        foreach (var layer in w.Layers)
        {
            var (output, probabilities) = Layer(layer, states);
            if (keepTrace) layers.Add(new BertLayerTrace(probabilities, output));
            states = output;
        }
        return new BertTrace(keepTrace ? embeddings : [], layers, states);
    }

    private (double[][] Output, double[][][] Probabilities) Layer(BertLayerWeights layer, double[][] input)
    {
        int tokens = input.Length, heads = Shape.Heads, headSize = Shape.HeadSize;
        double eps = Shape.LayerNormEpsilon;
        var queries = input.Select(x => Linear(x, layer.Query)).ToArray();
        var keys = input.Select(x => Linear(x, layer.Key)).ToArray();
        var values = input.Select(x => Linear(x, layer.Value)).ToArray();

        // Head h owns features [h·headSize, (h+1)·headSize) of the query, key and value vectors.
        var context = new double[tokens][];
        for (int t = 0; t < tokens; t++) context[t] = new double[Shape.Hidden];
        var probabilities = new double[heads][][];
        double scale = 1 / Math.Sqrt(headSize);
        for (int h = 0; h < heads; h++)
        {
            probabilities[h] = new double[tokens][];
            for (int q = 0; q < tokens; q++)
            {
                var scores = new double[tokens];
                for (int k = 0; k < tokens; k++)
                    scores[k] = Dot(queries[q].AsSpan(h * headSize, headSize), keys[k].AsSpan(h * headSize, headSize)) * scale;
                var p = probabilities[h][q] = Softmax(scores);
                for (int k = 0; k < tokens; k++)
                    for (int d = 0; d < headSize; d++)
                        context[q][h * headSize + d] += p[k] * values[k][h * headSize + d];
            }
        }

        var output = new double[tokens][];
        for (int t = 0; t < tokens; t++)
        {
            var attention = Linear(context[t], layer.AttentionOutput);
            for (int i = 0; i < attention.Length; i++) attention[i] += input[t][i];
            var attended = LayerNorm(attention, layer.AttentionLayerNorm, eps);

            var intermediate = Linear(attended, layer.Intermediate);
            for (int i = 0; i < intermediate.Length; i++) intermediate[i] = Gelu(intermediate[i]);
            var feedForward = Linear(intermediate, layer.Output);
            for (int i = 0; i < feedForward.Length; i++) feedForward[i] += attended[i];
            output[t] = LayerNorm(feedForward, layer.OutputLayerNorm, eps);
        }
        return (output, probabilities);
    }

    private void CheckInputs(ReadOnlySpan<long> inputIds, ReadOnlySpan<long> tokenTypeIds, ReadOnlySpan<long> positionIds)
    {
        if (inputIds.IsEmpty) throw new ArgumentException("The sequence has no tokens.", nameof(inputIds));
        if (positionIds.IsEmpty && inputIds.Length > Shape.MaxPositions)
            throw new ArgumentException($"The sequence has {inputIds.Length} tokens; the model has {Shape.MaxPositions} positions.", nameof(inputIds));
        CheckRange(inputIds, Shape.Vocab, nameof(inputIds));
        if (!tokenTypeIds.IsEmpty)
        {
            if (tokenTypeIds.Length != inputIds.Length)
                throw new ArgumentException($"{tokenTypeIds.Length} token type ids for {inputIds.Length} tokens.", nameof(tokenTypeIds));
            CheckRange(tokenTypeIds, Shape.TypeVocab, nameof(tokenTypeIds));
        }
        if (!positionIds.IsEmpty)
        {
            if (positionIds.Length != inputIds.Length)
                throw new ArgumentException($"{positionIds.Length} position ids for {inputIds.Length} tokens.", nameof(positionIds));
            CheckRange(positionIds, Shape.MaxPositions, nameof(positionIds));
        }
    }

    private static void CheckRange(ReadOnlySpan<long> ids, int limit, string name)
    {
        for (int i = 0; i < ids.Length; i++)
            if ((ulong)ids[i] >= (ulong)limit)
                throw new ArgumentOutOfRangeException(name, ids[i], $"{name}[{i}] = {ids[i]} is outside [0, {limit}).");
    }
}

/// <summary>The intermediate results of <see cref="ReferenceBert.Trace"/> for one sequence.</summary>
/// <param name="Embeddings">[tokens][hidden] after the embedding LayerNorm.</param>
/// <param name="Layers">Each layer's attention and output.</param>
/// <param name="LastHiddenState">[tokens][hidden] after the last layer.</param>
public sealed record BertTrace(double[][] Embeddings, IReadOnlyList<BertLayerTrace> Layers, double[][] LastHiddenState);

/// <summary>One layer's intermediate results.</summary>
/// <param name="AttentionProbabilities">[head][query token][key token]; each row sums to 1.</param>
/// <param name="Output">[tokens][hidden] after the feed-forward block's LayerNorm.</param>
public sealed record BertLayerTrace(double[][][] AttentionProbabilities, double[][] Output);
