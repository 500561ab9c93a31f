using System.Buffers.Binary;
using System.Text;
using BenchmarkDotNet.Attributes;
using Embeddings.Onnx;

namespace Embeddings.Benchmarks;

/// <summary>
/// <c>EmbedMultiVector</c> against <c>EmbedTokens</c> on the same model and texts: a MiniLM-L6-shaped encoder made
/// into a sentence-transformers 6 MultiVectorEncoder (token-level Dense 384→128 without bias, MultiVectorMask,
/// Normalize), 64 corpus passages per operation. The difference is the Dense map and normalization of every
/// kept token row.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EndToEndJob))]
public class MultiVectorBenchmarks
{
    private const int Texts = 64;
    private Embedder _embedder = null!;
    private string[] _texts = [];

    [GlobalSetup]
    public void Setup()
    {
        _embedder = OnnxEmbedder.Create(MultiVectorBenchmarkModel.Ensure(), new OnnxEmbedderOptions { Runtime = { IntraOpThreads = Environment.ProcessorCount } });
        _texts = CorpusSample.Take(Texts);
    }

    [GlobalCleanup]
    public void Cleanup() => _embedder.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Texts, Description = "EmbedTokens (hidden states)")]
    public int EmbedTokens() => _embedder.EmbedTokens(_texts).Count;

    [Benchmark(OperationsPerInvoke = Texts, Description = "EmbedMultiVector, documents")]
    public int EmbedMultiVectorDocuments() => _embedder.EmbedMultiVector(_texts, MultiVectorRole.Document).Count;
}

/// <summary>
/// The MiniLM-L6 benchmark folder turned into a multi-vector model in <c>artifacts/benchmark-models/minilm-l6-multivector</c>:
/// the same ONNX file and tokenizer, plus a random 384→128 token-level Dense, a mask and a Normalize module.
/// </summary>
internal static class MultiVectorBenchmarkModel
{
    private const string StampText = "benchmark-model multivector v1, seed 1";
    public const int Dimensions = 128;

    public static string Ensure()
    {
        string source = BenchmarkModels.Ensure(BenchmarkModel.MiniLm);
        string directory = Path.Combine(Path.GetDirectoryName(source)!, "minilm-l6-multivector");
        string stamp = Path.Combine(directory, ".stamp");
        if (File.Exists(stamp) && File.ReadAllText(stamp) == StampText) return directory;
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(Path.Combine(directory, "onnx"));
        foreach (var file in new[] { "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "config.json", "onnx/model.onnx" })
            File.Copy(Path.Combine(source, file), Path.Combine(directory, file));
        File.WriteAllText(Path.Combine(directory, "modules.json"), """
            [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.base.modules.transformer.Transformer"},
             {"idx": 1, "name": "1", "path": "1_Dense", "type": "sentence_transformers.base.modules.dense.Dense"},
             {"idx": 2, "name": "2", "path": "2_MultiVectorMask", "type": "sentence_transformers.multi_vector_encoder.modules.multi_vector_mask.MultiVectorMask"},
             {"idx": 3, "name": "3", "path": "3_Normalize", "type": "sentence_transformers.base.modules.normalize.Normalize"}]
            """);
        File.WriteAllText(Path.Combine(directory, "sentence_bert_config.json"), """{"transformer_task": "feature-extraction", "module_output_name": "token_embeddings"}""");
        File.WriteAllText(Path.Combine(directory, "config_sentence_transformers.json"), """{"model_type": "MultiVectorEncoder", "prompts": {"query": "", "document": ""}}""");
        Directory.CreateDirectory(Path.Combine(directory, "1_Dense"));
        File.WriteAllText(Path.Combine(directory, "1_Dense", "config.json"),
            $$"""{"in_features": 384, "out_features": {{Dimensions}}, "bias": false, "activation_function": "torch.nn.modules.linear.Identity", "module_input_name": "token_embeddings"}""");
        var random = new Random(1);
        var weight = new float[Dimensions * 384];
        for (int i = 0; i < weight.Length; i++) weight[i] = (float)(random.NextDouble() - 0.5) * 0.1f;
        File.WriteAllBytes(Path.Combine(directory, "1_Dense", "model.safetensors"), SafeTensors("linear.weight", [Dimensions, 384], weight));
        Directory.CreateDirectory(Path.Combine(directory, "2_MultiVectorMask"));
        File.WriteAllText(Path.Combine(directory, "2_MultiVectorMask", "config.json"), """{"skiplist_words": [], "skiplist_tasks": ["document"], "keep_only_token_ids": null}""");
        Directory.CreateDirectory(Path.Combine(directory, "3_Normalize"));
        File.WriteAllText(Path.Combine(directory, "3_Normalize", "config.json"), "{}");
        File.WriteAllText(stamp, StampText);
        return directory;
    }

    private static byte[] SafeTensors(string name, long[] shape, float[] values)
    {
        var header = Encoding.UTF8.GetBytes($"{{\"{name}\":{{\"dtype\":\"F32\",\"shape\":[{string.Join(',', shape)}],\"data_offsets\":[0,{values.Length * 4}]}}}}");
        var file = new byte[8 + header.Length + values.Length * 4];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(8 + header.Length + i * 4), values[i]);
        return file;
    }
}
