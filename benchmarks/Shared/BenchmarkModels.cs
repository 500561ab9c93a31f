using System.Text.Json.Nodes;
using Embeddings.TestModels;
using Embeddings.TestModels.Bert;

namespace Embeddings.Benchmarks;

/// <summary>The generated model folders the benchmarks run.</summary>
public enum BenchmarkModel
{
    /// <summary>all-MiniLM-L6-v2's shape: 6 layers, hidden 384, 12 heads, FFN 1536; mean pooling, normalized.</summary>
    MiniLm,
    /// <summary>bert-base's shape: 12 layers, hidden 768, 12 heads, FFN 3072; mean pooling, normalized.</summary>
    Base,
    /// <summary>The MiniLM shape with a masked-LM head (logits over the 30,522-id vocabulary) and SPLADE pooling.</summary>
    MiniLmSplade,
    /// <summary><see cref="MiniLm"/> (same weights) with its dense layers dynamically quantized to int8 (<see cref="DynamicQuantization"/>).</summary>
    MiniLmInt8,
    /// <summary><see cref="Base"/> (same weights) with its dense layers dynamically quantized to int8.</summary>
    BaseInt8,
}

/// <summary>
/// Writes real-shaped model folders with random weights (throughput does not depend on weight values) into the
/// repository's git-ignored <c>artifacts/benchmark-models/</c>, once: a folder is reused while its stamp matches.
/// Each folder is a sentence-transformers layout with an Optimum-style <c>onnx/model.onnx</c>, loadable by this
/// library, by transformers.js and by a bare ONNX Runtime session alike. Tokenizer and configuration files come
/// from the shared tiny fixtures (bert-uncased, all-MiniLM-L6-v2's tokenizer; 512-token limit).
/// </summary>
public static class BenchmarkModels
{
    // Bump when the graph, the weights or the folder layout change, so stale folders are rewritten.
    private const string StampText = "benchmark-model v1, seed 1";
    private const long Seed = 1;

    /// <summary>The folder name of <paramref name="model"/>.</summary>
    public static string Name(BenchmarkModel model) => model switch
    {
        BenchmarkModel.MiniLm => "minilm-l6",
        BenchmarkModel.Base => "bert-base",
        BenchmarkModel.MiniLmSplade => "minilm-l6-splade",
        BenchmarkModel.MiniLmInt8 => "minilm-l6-int8",
        BenchmarkModel.BaseInt8 => "bert-base-int8",
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, null),
    };

    /// <summary>Parses a folder name or enum name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No model has that name.</exception>
    public static BenchmarkModel Parse(string name)
    {
        foreach (var model in Enum.GetValues<BenchmarkModel>())
            if (name.Equals(Name(model), StringComparison.OrdinalIgnoreCase) || name.Equals(model.ToString(), StringComparison.OrdinalIgnoreCase))
                return model;
        throw new ArgumentException($"Unknown benchmark model '{name}'; known: {string.Join(", ", Enum.GetValues<BenchmarkModel>().Select(Name))}.");
    }

    /// <summary>The folder for <paramref name="model"/>, written first when missing or stale.</summary>
    /// <param name="model">Which model.</param>
    /// <param name="root">Where model folders live; null for the repository's <c>artifacts/benchmark-models</c>.</param>
    public static string Ensure(BenchmarkModel model, string? root = null)
    {
        root ??= Path.Combine(Fixtures.RepositoryRoot(), "artifacts", "benchmark-models");
        var directory = Path.Combine(root, Name(model));
        var stamp = Path.Combine(directory, ".stamp");
        if (File.Exists(stamp) && File.ReadAllText(stamp) == StampText) return directory;

        var shape = model is BenchmarkModel.Base or BenchmarkModel.BaseInt8 ? BertShape.Base : BertShape.MiniLmL6;
        bool int8 = model is BenchmarkModel.MiniLmInt8 or BenchmarkModel.BaseInt8;
        bool splade = model == BenchmarkModel.MiniLmSplade;
        var fixture = Fixtures.ModelDir(splade ? "splade-tiny" : "bert-mean-tiny");
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(Path.Combine(directory, "onnx"));

        foreach (var file in new[] { "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "modules.json",
                     "sentence_bert_config.json", "config_sentence_transformers.json" })
            File.Copy(Path.Combine(fixture, file), Path.Combine(directory, file));

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(fixture, "config.json")))!.AsObject();
        config["hidden_size"] = shape.Hidden;
        config["num_hidden_layers"] = shape.Layers;
        config["num_attention_heads"] = shape.Heads;
        config["intermediate_size"] = shape.Intermediate;
        File.WriteAllText(Path.Combine(directory, "config.json"), config.ToJsonString(new() { WriteIndented = true }));

        var poolingFolder = splade ? "1_SpladePooling" : "1_Pooling";
        Directory.CreateDirectory(Path.Combine(directory, poolingFolder));
        var pooling = JsonNode.Parse(File.ReadAllText(Path.Combine(fixture, poolingFolder, "config.json")))!.AsObject();
        if (!splade) pooling["word_embedding_dimension"] = shape.Hidden;
        File.WriteAllText(Path.Combine(directory, poolingFolder, "config.json"), pooling.ToJsonString(new() { WriteIndented = true }));

        var options = splade ? new BertGraphOptions { HiddenStateOutput = false, LogitsOutput = true } : BertGraphOptions.Default;
        var onnx = Path.Combine(directory, "onnx", "model.onnx");
        var graph = BertModelBuilder.Build(BertWeights.Generate(shape, Seed), options);
        if (int8) graph = DynamicQuantization.Quantize(graph).Model;
        graph.Save(onnx + ".partial");
        File.Move(onnx + ".partial", onnx);
        File.WriteAllText(stamp, StampText);
        return directory;
    }
}
