using Embeddings.TestModels.Bert;
using Embeddings.TestModels.Decoder;

namespace Embeddings.TestModels.Tests;

/// <summary>The structure of the written decoder graphs, read back with an independent protobuf decoder.</summary>
public class DecoderModelBuilderTests
{
    private static readonly DecoderShape Small = new(Layers: 2, Hidden: 16, Heads: 4, KeyValueHeads: 2, HeadSize: 6, Intermediate: 24, Vocab: 300)
    {
        EmbeddingHashBuckets = [7, 11],
    };

    private static readonly HashSet<string> StandardOps =
    [
        "Gather", "Mod", "Add", "Sub", "Mul", "Div", "Neg", "MatMul", "Reshape", "Transpose", "Unsqueeze", "Softmax", "CumSum", "Equal",
        "Where", "Cast", "Concat", "Cos", "Sin", "Shape", "Range", "LessOrEqual", "And", "Slice", "ReduceMean", "Sqrt", "Sigmoid", "Identity",
    ];

    private static DecoderGraph Decode(DecoderWeights weights, DecoderGraphOptions? options = null) =>
        new(OnnxDecoder.Model(DecoderModelBuilder.Build(weights, options).ToBytes()).Graph);

    private sealed record DecoderGraph(DecodedGraph Graph)
    {
        public IEnumerable<string> Inputs => Graph.Inputs.Select(i => $"{i.Name}:{i.ElementType}[{string.Join(",", i.Dims)}]");

        public IEnumerable<string> Outputs => Graph.Outputs.Select(i => $"{i.Name}:{i.ElementType}[{string.Join(",", i.Dims)}]");
    }

    [Fact]
    public void Default_model_takes_ids_and_mask_and_gives_last_hidden_state()
    {
        var model = Decode(DecoderWeights.Generate(Small, 1));
        Assert.Equal(["input_ids:7[batch_size,sequence_length]", "attention_mask:7[batch_size,sequence_length]"], model.Inputs);
        Assert.Equal(["last_hidden_state:1[batch_size,sequence_length,16]"], model.Outputs);
        // Positions come from the mask.
        Assert.Contains(model.Graph.Nodes, n => n.OpType == "CumSum" && n.Inputs[0] == "attention_mask");
    }

    [Fact]
    public void Position_ids_option_feeds_the_rotary_angles_instead_of_the_mask()
    {
        var model = Decode(DecoderWeights.Generate(Small, 1), new DecoderGraphOptions { PositionIds = true, Float16Outputs = true });
        Assert.Equal(["input_ids", "attention_mask", "position_ids"], model.Graph.Inputs.Select(i => i.Name));
        Assert.DoesNotContain(model.Graph.Nodes, n => n.OpType == "CumSum");
        Assert.Contains(model.Graph.Nodes, n => n.OpType == "Cast" && n.Inputs[0] == "position_ids");
        Assert.Equal(["last_hidden_state:10[batch_size,sequence_length,16]"], model.Outputs);
    }

    [Fact]
    public void Initializers_hold_the_weights_bit_for_bit()
    {
        var weights = DecoderWeights.Generate(Small, 2);
        var graph = Decode(weights).Graph;
        Assert.Equal(weights.EmbeddingTables[1], graph.Initializer("model.embed_tokens.hash1.weight").Floats());
        Assert.Equal([11L, 16L], graph.Initializer("model.embed_tokens.hash1.weight").Dims);
        Assert.Equal(weights.Layers[1].Key.Weight, graph.Initializer("model.layers.1.self_attn.k_proj.weight").Floats());
        Assert.Equal([16L, 12L], graph.Initializer("model.layers.1.self_attn.k_proj.weight").Dims);
        Assert.Equal(weights.RotaryInverseFrequencies, graph.Initializer("model.rotary_emb.inv_freq").Floats());
        Assert.Equal(weights.FinalNorm.Scale, graph.Initializer("model.norm.weight").Floats());
        // Every named parameter is in the file under its name, and nothing else is a large tensor.
        var parameterNames = weights.Parameters().Select(p => p.Name).ToHashSet();
        Assert.All(parameterNames, name => Assert.Single(graph.Initializers, i => i.Name == name));
        Assert.All(graph.Initializers.Where(i => !parameterNames.Contains(i.Name)), i => Assert.True(i.Dims.Aggregate(1L, (a, b) => a * b) <= 5, i.Name));
    }

    [Fact]
    public void A_plain_embedding_table_is_one_gather_without_hashing()
    {
        var graph = Decode(DecoderWeights.Generate(Small with { EmbeddingHashBuckets = null }, 3)).Graph;
        Assert.DoesNotContain(graph.Nodes, n => n.OpType == "Mod");
        Assert.Contains(graph.Nodes, n => n.OpType == "Gather" && n.Inputs.SequenceEqual(["model.embed_tokens.weight", "input_ids"]));
    }

    [Fact]
    public void Graph_uses_standard_ops_in_topological_order_with_the_causal_mask_bias()
    {
        var graph = Decode(DecoderWeights.Generate(Small, 4)).Graph;
        Assert.All(graph.Nodes, n => Assert.Contains(n.OpType, StandardOps));
        var defined = new HashSet<string>(graph.Inputs.Select(i => i.Name).Concat(graph.Initializers.Select(i => i.Name)));
        foreach (var node in graph.Nodes)
        {
            Assert.All(node.Inputs, input => Assert.True(defined.Contains(input), $"{node.Name} reads undefined {input}"));
            foreach (var output in node.Outputs) Assert.True(defined.Add(output), $"{node.Name} redefines {output}");
        }
        var where = graph.Nodes.Single(n => n.OpType == "Where" && graph.Nodes.Any(a => a.OpType == "And" && a.Outputs[0] == n.Inputs[0]));
        Assert.Equal([0f], graph.Initializer(where.Inputs[1]).Floats());
        Assert.Equal([BertModelBuilder.MaskedScoreBias], graph.Initializer(where.Inputs[2]).Floats());
        // RMSNorm per layer: input, q, k, post-attention; plus the final norm.
        Assert.Equal(2 * 4 + 1, graph.Nodes.Count(n => n.OpType == "ReduceMean"));
        Assert.All(graph.Nodes.Where(n => n.OpType == "ReduceMean"), n => Assert.Equal([-1L], n.Attributes.Single(a => a.Name == "axes").Ints));
    }

    [Fact]
    public void Same_seed_gives_the_same_bytes()
    {
        Assert.Equal(DecoderModelBuilder.Build(DecoderWeights.Generate(Small, 9)).ToBytes(), DecoderModelBuilder.Build(DecoderWeights.Generate(Small, 9)).ToBytes());
        Assert.NotEqual(DecoderModelBuilder.Build(DecoderWeights.Generate(Small, 9)).ToBytes(), DecoderModelBuilder.Build(DecoderWeights.Generate(Small, 10)).ToBytes());
    }

    [Fact]
    public void Output_names_taken_by_inputs_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => DecoderModelBuilder.Build(DecoderWeights.Generate(Small, 1), new DecoderGraphOptions { HiddenStateOutputName = "input_ids" }));
    }
}
