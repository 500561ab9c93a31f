using System.Buffers.Binary;
using System.Text;
using Embeddings.Models;
using Embeddings.Pooling;
using Embeddings.PostProcessing;
using Embeddings.TestModels;

namespace Embeddings.Core.Tests.Models;

public class ModelFolderTests
{
    [FixtureFact]
    public void Reads_a_mean_pooled_normalized_bert_folder()
    {
        var folder = ModelFolder.Open(Fixtures.ModelDir("bert-mean-tiny"));
        Assert.Equal(folder.Directory, folder.TransformerDirectory);
        Assert.NotNull(folder.TokenizerJsonPath);
        Assert.Equal([PoolingMode.Mean], folder.Pooling!.Modes);
        Assert.True(folder.Normalize);
        Assert.Equal(512, folder.MaxSequenceLength);
        Assert.Equal(SequenceSide.Right, folder.PaddingSide);
        Assert.Equal("query: ", folder.SentenceTransformers.Prompts["query"]);
        Assert.Equal("passage: ", folder.SentenceTransformers.Prompts["document"]);
        Assert.Equal(SimilarityFunction.Cosine, folder.SentenceTransformers.Similarity);
        Assert.Equal("[PAD]", folder.TokenizerSettings.PadToken);
        Assert.Empty(folder.DenseLayers);
    }

    [FixtureFact]
    public void Reads_cls_pooling_without_normalize()
    {
        var folder = ModelFolder.Open(Fixtures.ModelDir("bert-cls-tiny"));
        Assert.Equal([PoolingMode.Cls], folder.Pooling!.Modes);
        Assert.False(folder.Normalize);
    }

    [FixtureFact]
    public void Reads_a_left_padded_last_token_decoder()
    {
        var folder = ModelFolder.Open(Fixtures.ModelDir("decoder-last-tiny"));
        Assert.Equal([PoolingMode.LastToken], folder.Pooling!.Modes);
        Assert.Equal(SequenceSide.Left, folder.PaddingSide);
        Assert.True(folder.Transformer.IsDecoder);
        Assert.True(folder.Normalize);
        Assert.StartsWith("Instruct:", folder.SentenceTransformers.Prompts["query"]);
    }

    [FixtureFact]
    public void Roberta_positions_leave_room_for_the_padding_offset()
    {
        var folder = ModelFolder.Open(Fixtures.ModelDir("roberta-mean-tiny"));
        Assert.Equal(512, folder.Transformer.MaxSequenceLength); // 514 positions, starting at pad + 1
        Assert.Equal(512, folder.MaxSequenceLength);
        Assert.Equal("<pad>", folder.TokenizerSettings.PadToken);
    }

    [FixtureFact]
    public void Reads_a_sparse_encoder()
    {
        var folder = ModelFolder.Open(Fixtures.ModelDir("splade-tiny"));
        Assert.Null(folder.Pooling);
        Assert.NotNull(folder.SpladePooling);
        Assert.True(folder.SpladePooling!.UseMax);
        Assert.Equal(30522, folder.SpladePooling.Dimension);
        Assert.True(folder.SentenceTransformers.IsSparseEncoder);
        Assert.Equal(SimilarityFunction.Dot, folder.SentenceTransformers.Similarity);
    }

    private static TempFolder MinimalFolder(string? modules = null, string? pooling = null)
    {
        var temp = new TempFolder();
        temp.Write("tokenizer.json", "{}");
        temp.Write("onnx/model.onnx", [0]);
        temp.Write("config.json", """{"model_type": "bert", "max_position_embeddings": 128, "hidden_size": 4}""");
        if (modules is not null) temp.Write("modules.json", modules);
        if (pooling is not null) temp.Write("1_Pooling/config.json", pooling);
        return temp;
    }

    private const string TransformerPooling = """
        [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.base.modules.transformer.Transformer"},
         {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.sentence_transformer.modules.pooling.Pooling"}]
        """;

    [Theory]
    [InlineData("""{"embedding_dimension": 4, "pooling_mode": "lasttoken"}""", new[] { PoolingMode.LastToken })]
    [InlineData("""{"embedding_dimension": 4, "pooling_mode": ["cls", "mean"]}""", new[] { PoolingMode.Cls, PoolingMode.Mean })]
    [InlineData("""{"word_embedding_dimension": 4, "pooling_mode_mean_tokens": true, "pooling_mode_max_tokens": true}""", new[] { PoolingMode.Max, PoolingMode.Mean })]
    [InlineData("""{"word_embedding_dimension": 4}""", new[] { PoolingMode.Mean })]
    public void Reads_both_pooling_config_formats(string config, PoolingMode[] expected)
    {
        using var temp = MinimalFolder(TransformerPooling, config);
        Assert.Equal(expected, ModelFolder.Open(temp.Path).Pooling!.Modes);
    }

    [Fact]
    public void Reads_include_prompt_false()
    {
        using var temp = MinimalFolder(TransformerPooling, """{"pooling_mode": "mean", "include_prompt": false}""");
        Assert.False(ModelFolder.Open(temp.Path).Pooling!.IncludePrompt);
    }

    [Fact]
    public void An_unknown_pooling_mode_names_the_file()
    {
        using var temp = MinimalFolder(TransformerPooling, """{"pooling_mode": "attention"}""");
        var error = Assert.Throws<ModelConfigurationException>(() => ModelFolder.Open(temp.Path));
        Assert.Contains("attention", error.Message);
        Assert.EndsWith(Path.Combine("1_Pooling", "config.json"), error.FilePath);
    }

    [Fact]
    public void An_unsupported_module_type_is_refused()
    {
        using var temp = MinimalFolder("""[{"path": "", "type": "sentence_transformers.models.Transformer"}, {"path": "1_LSTM", "type": "sentence_transformers.models.LSTM"}]""");
        var error = Assert.Throws<ModelConfigurationException>(() => ModelFolder.Open(temp.Path));
        Assert.Contains("LSTM", error.Message);
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("/etc")]
    [InlineData("C:/Windows")]
    [InlineData("a/../../b")]
    [InlineData("a\\..\\b")]
    public void Module_paths_cannot_escape_the_folder(string path)
    {
        using var temp = MinimalFolder($$"""[{"path": "", "type": "Transformer"}, {"path": "{{path.Replace("\\", "\\\\")}}", "type": "Pooling"}]""");
        var error = Assert.Throws<ModelConfigurationException>(() => ModelFolder.Open(temp.Path));
        Assert.Contains("outside the model folder", error.Message);
    }

    [Fact]
    public void Without_modules_json_a_plain_folder_mean_pools()
    {
        using var temp = MinimalFolder();
        var folder = ModelFolder.Open(temp.Path);
        Assert.Equal([PoolingMode.Mean], folder.Pooling!.Modes);
        Assert.False(folder.Normalize);
        Assert.Equal(128, folder.MaxSequenceLength); // capped by max_position_embeddings
    }

    [Fact]
    public void The_length_limit_prefers_max_seq_length_then_model_max_length_capped_by_positions()
    {
        using var temp = MinimalFolder();
        temp.Write("tokenizer_config.json", """{"model_max_length": 1000000000000000019884624838656}""");
        Assert.Equal(128, ModelFolder.Open(temp.Path).MaxSequenceLength);
        temp.Write("tokenizer_config.json", """{"model_max_length": 64}""");
        Assert.Equal(64, ModelFolder.Open(temp.Path).MaxSequenceLength);
        temp.Write("sentence_bert_config.json", """{"max_seq_length": 100, "do_lower_case": true}""");
        var folder = ModelFolder.Open(temp.Path);
        Assert.Equal(100, folder.MaxSequenceLength);
        Assert.True(folder.LowercaseInput);
        temp.Write("sentence_bert_config.json", """{"max_seq_length": 4096}""");
        Assert.Equal(128, ModelFolder.Open(temp.Path).MaxSequenceLength);
    }

    [Fact]
    public void A_folder_without_tokenizer_is_refused()
    {
        using var temp = MinimalFolder();
        File.Delete(Path.Combine(temp.Path, "tokenizer.json"));
        var error = Assert.Throws<ModelConfigurationException>(() => ModelFolder.Open(temp.Path));
        Assert.Contains("tokenizer", error.Message);
        temp.Write("vocab.txt", "[PAD]\n");
        Assert.NotNull(ModelFolder.Open(temp.Path).VocabularyPath);
    }

    [Fact]
    public void Malformed_json_names_the_file()
    {
        using var temp = MinimalFolder();
        temp.Write("config_sentence_transformers.json", "{\"prompts\": {");
        var error = Assert.Throws<ModelConfigurationException>(() => ModelFolder.Open(temp.Path));
        Assert.EndsWith("config_sentence_transformers.json", error.FilePath);
    }

    [Fact]
    public void Dense_modules_load_from_safetensors_in_any_folder_name()
    {
        using var temp = MinimalFolder("""
            [{"path": "", "type": "sentence_transformers.models.Transformer"},
             {"path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
             {"path": "2_Dense_2", "type": "sentence_transformers.models.Dense"},
             {"path": "3_Normalize", "type": "sentence_transformers.models.Normalize"}]
            """, """{"pooling_mode": "mean"}""");
        temp.Write("2_Dense_2/config.json", """{"in_features": 4, "out_features": 2, "bias": true, "activation_function": "torch.nn.modules.linear.Identity"}""");
        temp.Write("2_Dense_2/model.safetensors", SafeTensors(("linear.weight", [2, 4], [1, 0, 0, 0, 0, 0, 0, 2]), ("linear.bias", [2], [0.5f, -1])));
        var folder = ModelFolder.Open(temp.Path);
        var dense = Assert.Single(folder.DenseLayers);
        Assert.Equal(DenseActivation.Identity, dense.Activation);
        var output = new float[2];
        dense.Apply([3, 9, 9, 4], output);
        Assert.Equal(new[] { 3.5f, 7f }, output);
        Assert.True(folder.Normalize);
    }

    [Fact]
    public void Dense_modules_with_only_pickled_weights_are_refused()
    {
        using var temp = MinimalFolder("""[{"path": "", "type": "Transformer"}, {"path": "2_Dense", "type": "Dense"}]""");
        temp.Write("2_Dense/config.json", """{"in_features": 4, "out_features": 2}""");
        temp.Write("2_Dense/pytorch_model.bin", [1, 2, 3]);
        var error = Assert.Throws<ModelConfigurationException>(() => ModelFolder.Open(temp.Path));
        Assert.Contains("safetensors", error.Message);
    }

    private static byte[] SafeTensors(params (string Name, long[] Shape, float[] Values)[] tensors)
    {
        var header = new StringBuilder("{");
        long offset = 0;
        foreach (var (name, shape, values) in tensors)
        {
            if (header.Length > 1) header.Append(',');
            header.Append($"\"{name}\":{{\"dtype\":\"F32\",\"shape\":[{string.Join(',', shape)}],\"data_offsets\":[{offset},{offset + values.Length * 4}]}}");
            offset += values.Length * 4;
        }
        header.Append('}');
        var headerBytes = Encoding.UTF8.GetBytes(header.ToString());
        var file = new byte[8 + headerBytes.Length + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)headerBytes.Length);
        headerBytes.CopyTo(file, 8);
        int at = 8 + headerBytes.Length;
        foreach (var (_, _, values) in tensors)
            foreach (float v in values) { BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(at), v); at += 4; }
        return file;
    }
}
