using System.Text.Json;
using Embeddings.TestModels;
using Embeddings.TestModels.Bert;

namespace Embeddings.Reliability.Tests.Support;

/// <summary>
/// Writes a model folder around a generated BERT graph: <c>onnx/model.onnx</c> with the requested signature, a
/// <c>config.json</c> describing it, and the bert-uncased fixture's tokenizer.json copied in at test time (never
/// into the repository). Faults are made by choosing a graph or a config.json that does not fit the tokenizer.
/// </summary>
internal static class GeneratedModelFolder
{
    /// <summary>One layer of the tiny fixture shape: the full BERT vocabulary, hidden 32, a few milliseconds a batch.</summary>
    public static BertShape Shape { get; } = BertShape.Tiny with { Layers = 1 };

    /// <summary>Writes the folder and returns its path.</summary>
    /// <param name="directory">An empty folder to fill.</param>
    /// <param name="graph">The ONNX signature.</param>
    /// <param name="shape">The dimensions; <see cref="Shape"/> when null.</param>
    /// <param name="configVocabularySize">config.json's <c>vocab_size</c>: the shape's vocabulary when null, left out when 0.</param>
    /// <param name="reducedVocabulary">Use <see cref="ReducedBertTokenizer"/> and size the model's vocabulary to it.</param>
    public static string Write(string directory, BertGraphOptions graph, BertShape? shape = null, int? configVocabularySize = null,
        bool reducedVocabulary = false)
    {
        shape ??= Shape;
        Directory.CreateDirectory(Path.Combine(directory, "onnx"));
        string tokenizerPath = Path.Combine(directory, "tokenizer.json");
        if (reducedVocabulary) shape = shape with { Vocab = ReducedBertTokenizer.Write(tokenizerPath) };
        else File.Copy(Path.Combine(Fixtures.TokenizerDir("bert-uncased"), "tokenizer.json"), tokenizerPath);
        BertModelBuilder.Write(Path.Combine(directory, "onnx", "model.onnx"), shape, seed: 7, graph);

        var config = new Dictionary<string, object>
        {
            ["model_type"] = "bert",
            ["hidden_size"] = shape.Hidden,
            ["num_hidden_layers"] = shape.Layers,
            ["max_position_embeddings"] = shape.MaxPositions,
            ["pad_token_id"] = 0,
        };
        int vocabulary = configVocabularySize ?? shape.Vocab;
        if (vocabulary > 0) config["vocab_size"] = vocabulary;
        File.WriteAllText(Path.Combine(directory, "config.json"), JsonSerializer.Serialize(config));
        return directory;
    }
}
