using Embeddings.TestModels.Bert;
using Embeddings.TestModels.Onnx;

namespace Embeddings.TestModels.Tests;

/// <summary>
/// The structure of the written BERT graphs, read back with an independent protobuf decoder. Whether the
/// graphs compute what <see cref="ReferenceBert"/> computes needs a runtime and is checked where one exists.
/// </summary>
public class BertModelBuilderTests
{
    private static readonly BertShape Small = new(Layers: 2, Hidden: 16, Heads: 4, Intermediate: 24, Vocab: 40, MaxPositions: 20);

    private static readonly HashSet<string> StandardOps =
    [
        "Gather", "Add", "Sub", "Mul", "Div", "MatMul", "Reshape", "Transpose", "Softmax", "LayerNormalization", "Erf",
        "Cast", "Unsqueeze", "Shape", "Slice", "ReduceSum", "Max", "Identity",
    ];

    private static DecodedModel Decode(BertWeights weights, BertGraphOptions? options = null) =>
        OnnxDecoder.Model(BertModelBuilder.Build(weights, options).ToBytes());

    private static string Signature(DecodedValueInfo value) =>
        $"{value.Name}:{value.ElementType}[{string.Join(",", value.Dims)}]";

    [Fact]
    public void Default_model_declares_bert_inputs_and_last_hidden_state_at_ir8_opset17()
    {
        var model = Decode(BertWeights.Generate(Small, 1));
        Assert.Equal(8, model.IrVersion);
        Assert.Equal([("", 17L)], model.Opsets);
        Assert.Equal("Embeddings.TestModels", model.Producer);
        Assert.Equal(["input_ids:7[batch_size,sequence_length]", "attention_mask:7[batch_size,sequence_length]",
            "token_type_ids:7[batch_size,sequence_length]"], model.Graph.Inputs.Select(Signature));
        Assert.Equal(["last_hidden_state:1[batch_size,sequence_length,16]"], model.Graph.Outputs.Select(Signature));
    }

    [Fact]
    public void Options_change_the_declared_inputs_and_outputs()
    {
        var weights = BertWeights.Generate(Small, 1);
        var roberta = Decode(weights, new BertGraphOptions { TokenTypeIds = false });
        Assert.Equal(["input_ids", "attention_mask"], roberta.Graph.Inputs.Select(i => i.Name));

        var positions = Decode(weights, new BertGraphOptions { PositionIds = true });
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids", "position_ids"], positions.Graph.Inputs.Select(i => i.Name));
        Assert.Contains(positions.Graph.Nodes, n => n.OpType == "Gather" && n.Inputs.SequenceEqual(["embeddings.position_embeddings.weight", "position_ids"]));
        Assert.DoesNotContain(positions.Graph.Nodes, n => n.OpType == "Shape");

        var everything = Decode(weights, new BertGraphOptions { SentenceEmbeddingOutput = true, LogitsOutput = true, HiddenStateOutputName = "token_embeddings" });
        Assert.Equal(["token_embeddings:1[batch_size,sequence_length,16]", "sentence_embedding:1[batch_size,16]",
            "logits:1[batch_size,sequence_length,40]"], everything.Graph.Outputs.Select(Signature));

        var splade = Decode(weights, new BertGraphOptions { HiddenStateOutput = false, LogitsOutput = true });
        Assert.Equal(["logits"], splade.Graph.Outputs.Select(o => o.Name));
    }

    [Fact]
    public void Float16_outputs_are_cast_at_the_end()
    {
        var model = Decode(BertWeights.Generate(Small, 1), new BertGraphOptions { Float16Outputs = true, SentenceEmbeddingOutput = true });
        Assert.All(model.Graph.Outputs, o => Assert.Equal(10, o.ElementType));
        foreach (var output in model.Graph.Outputs)
        {
            var producer = model.Graph.Nodes.Single(n => n.Outputs.Contains(output.Name));
            Assert.Equal("Cast", producer.OpType);
            Assert.Equal(10, producer.Attributes.Single(a => a.Name == "to").Int);
        }
    }

    [Fact]
    public void Initializers_hold_the_weights_bit_for_bit_and_fill_their_shapes()
    {
        var weights = BertWeights.Generate(Small, 2);
        var graph = Decode(weights, new BertGraphOptions { LogitsOutput = true }).Graph;
        Assert.Equal(weights.WordEmbeddings, graph.Initializer("embeddings.word_embeddings.weight").Floats());
        Assert.Equal([40L, 16L], graph.Initializer("embeddings.word_embeddings.weight").Dims);
        Assert.Equal(weights.Layers[1].Intermediate.Weight, graph.Initializer("encoder.layer.1.intermediate.dense.weight").Floats());
        Assert.Equal([16L, 24L], graph.Initializer("encoder.layer.1.intermediate.dense.weight").Dims);
        Assert.Equal(weights.Layers[0].AttentionLayerNorm.Scale, graph.Initializer("encoder.layer.0.attention.output.LayerNorm.weight").Floats());
        Assert.Equal(weights.MlmDecoderBias, graph.Initializer("cls.predictions.bias").Floats());
        foreach (var tensor in graph.Initializers)
        {
            long count = tensor.Dims.Aggregate(1L, (a, b) => a * b);
            if (tensor.DataType == 1) Assert.Equal(count * 4, tensor.RawData!.Length);
            else Assert.Equal((7L, count), (tensor.DataType, (long)tensor.Int64Data.Count));
        }
        Assert.Equal(graph.Initializers.Count, graph.Initializers.Select(i => i.Name).Distinct().Count());
    }

    [Fact]
    public void The_attention_mask_becomes_half_of_float_min_on_padded_keys()
    {
        var graph = Decode(BertWeights.Generate(Small, 1)).Graph;
        var sub = graph.Nodes.Single(n => n.OpType == "Sub");
        Assert.Equal([1f], graph.Initializer(sub.Inputs[0]).Floats());
        var mul = graph.Nodes.Single(n => n.OpType == "Mul" && n.Inputs[0] == sub.Outputs[0]);
        Assert.Equal([float.MinValue / 2], graph.Initializer(mul.Inputs[1]).Floats());
        Assert.Equal(float.MinValue / 2, BertModelBuilder.MaskedScoreBias);
    }

    [Fact]
    public void Graph_uses_standard_ops_only_in_topological_order()
    {
        var graph = Decode(BertWeights.Generate(Small, 1), new BertGraphOptions { SentenceEmbeddingOutput = true, LogitsOutput = true, PositionIds = true }).Graph;
        Assert.All(graph.Nodes, n => Assert.Contains(n.OpType, StandardOps));
        var defined = new HashSet<string>(graph.Inputs.Select(i => i.Name).Concat(graph.Initializers.Select(i => i.Name)));
        foreach (var node in graph.Nodes)
        {
            Assert.All(node.Inputs, input => Assert.True(defined.Contains(input), $"{node.Name} reads undefined {input}"));
            foreach (var output in node.Outputs) Assert.True(defined.Add(output), $"{node.Name} redefines {output}");
        }
        Assert.All(graph.Outputs, o => Assert.Contains(o.Name, defined));
        Assert.Equal(2 * 3, graph.Nodes.Count(n => n.OpType == "LayerNormalization")); // embeddings + 2 per layer + MLM head
        Assert.Equal(2 + 1, graph.Nodes.Count(n => n.OpType == "Erf"));               // one GELU per layer + MLM head
    }

    [Fact]
    public void Layer_norm_and_softmax_attributes_follow_the_config()
    {
        var graph = Decode(BertWeights.Generate(Small with { LayerNormEpsilon = 1e-5 }, 1)).Graph;
        Assert.All(graph.Nodes.Where(n => n.OpType == "LayerNormalization"), n =>
        {
            Assert.Equal(1e-5f, n.Attributes.Single(a => a.Name == "epsilon").Float);
            Assert.Equal(-1, n.Attributes.Single(a => a.Name == "axis").Int);
        });
        Assert.All(graph.Nodes.Where(n => n.OpType == "Softmax"), n => Assert.Equal(-1, n.Attributes.Single(a => a.Name == "axis").Int));
        Assert.Contains(graph.Nodes, n => n.OpType == "Transpose" && n.Attributes.Single().Ints.SequenceEqual([0L, 2, 3, 1]));
    }

    [Fact]
    public void Same_seed_writes_identical_files_and_another_seed_does_not()
    {
        var directory = Directory.CreateTempSubdirectory("testmodels-");
        try
        {
            string a = Path.Combine(directory.FullName, "a.onnx"), b = Path.Combine(directory.FullName, "b.onnx"), c = Path.Combine(directory.FullName, "c.onnx");
            var weights = BertModelBuilder.Write(a, Small, 3);
            BertModelBuilder.Write(b, Small, 3);
            BertModelBuilder.Write(c, Small, 4);
            Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
            Assert.NotEqual(File.ReadAllBytes(a), File.ReadAllBytes(c));
            Assert.Equal(BertModelBuilder.Build(weights).ToBytes(), File.ReadAllBytes(a));
            Assert.Equal(["a.onnx", "b.onnx", "c.onnx"], directory.GetFiles().Select(f => f.Name).Order());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Options_without_any_output_are_rejected()
    {
        var weights = BertWeights.Generate(Small, 1);
        Assert.Throws<ArgumentException>(() => BertModelBuilder.Build(weights, new BertGraphOptions { HiddenStateOutput = false }));
        Assert.Throws<ArgumentException>(() => BertModelBuilder.Build(weights, new BertGraphOptions { HiddenStateOutputName = "logits", LogitsOutput = true }));
    }

    [Fact]
    public void Malformed_graphs_are_refused_naming_the_node()
    {
        var x = new OnnxValueInfo("x", OnnxDataType.Float, [1]);
        var y = new OnnxValueInfo("y", OnnxDataType.Float, [1]);
        var undefined = Assert.Throws<InvalidOperationException>(() =>
            new OnnxGraph("g", [new OnnxNode("Add", "add0", ["x", "z"], ["y"])], [], [x], [y]));
        Assert.Contains("'add0'", undefined.Message, StringComparison.Ordinal);
        Assert.Contains("'z'", undefined.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() =>
            new OnnxGraph("g", [new OnnxNode("Identity", "a", ["x"], ["y"]), new OnnxNode("Identity", "b", ["x"], ["y"])], [], [x], [y]));
        Assert.Throws<InvalidOperationException>(() =>
            new OnnxGraph("g", [new OnnxNode("Identity", "a", ["x"], ["w"])], [], [x], [y]));
        Assert.Throws<InvalidOperationException>(() =>
            new OnnxGraph("g", [], [OnnxTensor.Float("x", [1], new float[1])], [x], [x]));
    }
}
