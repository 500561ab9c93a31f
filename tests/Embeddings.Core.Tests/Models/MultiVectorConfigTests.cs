using System.Buffers.Binary;
using System.Text;
using Embeddings.Models;

namespace Embeddings.Core.Tests.Models;

public class MultiVectorConfigTests
{
    private const string Modules = """
        [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.base.modules.transformer.Transformer"},
         {"idx": 1, "name": "1", "path": "1_Dense", "type": "sentence_transformers.base.modules.dense.Dense"},
         {"idx": 2, "name": "2", "path": "2_MultiVectorMask", "type": "sentence_transformers.multi_vector_encoder.modules.multi_vector_mask.MultiVectorMask"},
         {"idx": 3, "name": "3", "path": "3_Normalize", "type": "sentence_transformers.base.modules.normalize.Normalize"}]
        """;

    private static TempFolder Folder(string modules = Modules, string? sentenceBert = null, string? mask = null, string? st = null)
    {
        var temp = new TempFolder();
        temp.Write("tokenizer.json", "{}");
        temp.Write("onnx/model.onnx", [0]);
        temp.Write("config.json", """{"model_type": "bert", "max_position_embeddings": 128, "hidden_size": 4}""");
        temp.Write("modules.json", modules);
        temp.Write("1_Dense/config.json", """{"in_features": 4, "out_features": 2, "bias": false, "activation_function": "torch.nn.modules.linear.Identity", "module_input_name": "token_embeddings"}""");
        temp.Write("1_Dense/model.safetensors", SafeTensors("linear.weight", [2, 4], [1, 0, 0, 0, 0, 1, 0, 0]));
        temp.Write("2_MultiVectorMask/config.json", mask ?? """{"skiplist_words": [], "skiplist_tasks": ["document"], "keep_only_token_ids": null}""");
        temp.Write("3_Normalize/config.json", "{}");
        temp.Write("config_sentence_transformers.json", st ?? """{"model_type": "MultiVectorEncoder", "prompts": {"query": "", "document": ""}, "similarity_fn_name": null}""");
        if (sentenceBert is not null) temp.Write("sentence_bert_config.json", sentenceBert);
        return temp;
    }

    [Fact]
    public void Reads_a_multivector_encoder_folder()
    {
        using var temp = Folder(
            sentenceBert: """{"transformer_task": "feature-extraction", "query_length": 32, "document_length": 100, "query_expansion": {"strategy": "min", "length": 24, "attend": true, "token": "[MASK]"}}""",
            mask: """{"skiplist_words": [",", "."], "skiplist_tasks": "query", "keep_only_token_ids": [7, 9]}""");
        var folder = ModelFolder.Open(temp.Path);
        var config = Assert.IsType<MultiVectorConfig>(folder.MultiVector);
        Assert.Empty(folder.DenseLayers); // the Dense module works per token, not after pooling
        Assert.False(folder.Normalize);
        Assert.Equal(2, config.Dimensions);
        Assert.True(config.Normalize);
        Assert.Equal(32, config.QueryLength);
        Assert.Equal(100, config.DocumentLength);
        Assert.Equal(new QueryExpansion(QueryExpansionStrategy.Minimum, 24, true, "[MASK]"), config.QueryExpansion);
        Assert.Equal([",", "."], config.Mask!.SkiplistWords);
        Assert.Equal(["query"], config.Mask.SkiplistTasks);
        Assert.Equal([7, 9], config.Mask.KeepOnlyTokenIds);
        Assert.False(config.LengthNormalizedScores);
    }

    [Fact]
    public void A_plain_folder_is_not_multivector()
    {
        using var temp = Folder(modules: """[{"path": "", "type": "Transformer"}]""", st: """{"prompts": {}}""");
        Assert.Null(ModelFolder.Open(temp.Path).MultiVector);
    }

    [Fact]
    public void PyLate_top_level_settings_become_expansion_lengths_prompts_and_a_punctuation_mask()
    {
        using var temp = Folder(
            modules: """[{"path": "", "type": "sentence_transformers.models.Transformer"}, {"path": "1_Dense", "type": "pylate.models.Dense.Dense"}]""",
            st: """{"model_type": "ColBERT", "query_prefix": "[Q] ", "document_prefix": "[D] ", "query_length": 40, "document_length": 300, "attend_to_expansion_tokens": true, "similarity_fn_name": "meanmaxsim"}""");
        var config = ModelFolder.Open(temp.Path).MultiVector!;
        Assert.Equal(new QueryExpansion(QueryExpansionStrategy.Fixed, 40, true, null), config.QueryExpansion);
        Assert.Null(config.QueryLength); // PyLate's query_length is the expansion width
        Assert.Equal(300, config.DocumentLength);
        Assert.Equal("[Q] ", config.Prompts["query"]);
        Assert.Equal("[D] ", config.Prompts["document"]);
        Assert.Equal(["[Q] ", "[D] "], config.LegacyPrefixes);
        Assert.Equal(MultiVectorMaskConfig.AsciiPunctuation, config.Mask!.SkiplistWords);
        Assert.True(config.Normalize);
        Assert.True(config.LengthNormalizedScores);
    }

    [Fact]
    public void PyLate_expansion_can_be_turned_off()
    {
        using var temp = Folder(st: """{"model_type": "ColBERT", "do_query_expansion": false, "query_length": 20}""");
        var config = ModelFolder.Open(temp.Path).MultiVector!;
        Assert.Null(config.QueryExpansion);
        Assert.Equal(20, config.QueryLength);
    }

    [Theory]
    [InlineData("""{"query_expansion": {"strategy": "wide", "length": 8}}""", "strategy")]
    [InlineData("""{"query_expansion": {"strategy": "fixed"}}""", "length")]
    [InlineData("""{"query_expansion": {"strategy": "fixed", "length": 8, "pad": 1}}""", "unknown key")]
    [InlineData("""{"query_length": 4, "query_expansion": {"strategy": "fixed", "length": 8}}""", "smaller")]
    [InlineData("""{"document_length": 0}""", "positive")]
    public void Malformed_transformer_settings_name_the_problem(string sentenceBert, string fragment)
    {
        using var temp = Folder(sentenceBert: sentenceBert);
        var error = Assert.Throws<ModelConfigurationException>(() => ModelFolder.Open(temp.Path));
        Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public void Pooling_in_a_multivector_chain_is_refused()
    {
        using var temp = Folder(modules: Modules.Replace("3_Normalize", "3_Pooling").Replace("normalize.Normalize", "pooling.Pooling"));
        temp.Write("3_Pooling/config.json", """{"word_embedding_dimension": 2}""");
        var error = Assert.Throws<ModelConfigurationException>(() => ModelFolder.Open(temp.Path));
        Assert.Contains("one vector per token", error.Message);
    }

    [Fact]
    public void Bad_mask_settings_are_refused()
    {
        using var temp = Folder(mask: """{"keep_only_token_ids": [-1]}""");
        Assert.Throws<ModelConfigurationException>(() => ModelFolder.Open(temp.Path));
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
