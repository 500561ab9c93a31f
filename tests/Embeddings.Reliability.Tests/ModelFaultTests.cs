using System.Runtime.InteropServices;
using Embeddings.Models;
using Embeddings.Onnx;
using Embeddings.Reliability.Tests.Support;
using Embeddings.TestModels;
using Embeddings.TestModels.Bert;
using Embeddings.TestModels.Onnx;
using Embeddings.Tokenization;

namespace Embeddings.Reliability.Tests;

/// <summary>
/// Broken model folders and a broken environment: each gives a typed exception that names the file (or the
/// library) and the cause, never a native crash or a hang (docs/reliability.md, "Model and environment").
/// </summary>
public sealed class ModelFaultTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string WriteModel(BertGraphOptions? graph = null, BertShape? shape = null, int? configVocabularySize = null) =>
        GeneratedModelFolder.Write(_folder.Path, graph ?? BertGraphOptions.Default, shape, configVocabularySize);

    private string OnnxPath => Path.Combine(_folder.Path, "onnx", "model.onnx");

    private string TokenizerPath => Path.Combine(_folder.Path, "tokenizer.json");

    [FixtureFact]
    public void A_folder_without_model_onnx_is_refused_naming_the_folder_and_the_file_it_needs()
    {
        WriteModel();
        File.Delete(OnnxPath);

        var error = Assert.Throws<ModelConfigurationException>(() => OnnxEmbedder.Create(_folder.Path));

        Assert.Equal(Path.GetFullPath(_folder.Path), error.FilePath);
        Assert.Contains("model.onnx", error.Message, StringComparison.Ordinal);
        Assert.Contains("no .onnx file", error.Message, StringComparison.Ordinal);
    }

    [FixtureTheory]
    [InlineData(0.0)]
    [InlineData(0.001)]
    [InlineData(0.5)]
    [InlineData(0.999)]
    public void A_truncated_model_onnx_gives_OnnxRuntimeException_naming_the_file(double keptFraction)
    {
        WriteModel();
        var whole = File.ReadAllBytes(OnnxPath);
        File.WriteAllBytes(OnnxPath, whole.AsSpan(0, (int)(whole.Length * keptFraction)).ToArray());

        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxEmbedder.Create(_folder.Path));

        Assert.Contains(OnnxPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("could not load the model", error.Message, StringComparison.Ordinal);
    }

    [FixtureFact]
    public void A_model_onnx_of_random_bytes_gives_OnnxRuntimeException_naming_the_file()
    {
        WriteModel();
        var noise = new byte[64 * 1024];
        new Random(3).NextBytes(noise);
        File.WriteAllBytes(OnnxPath, noise);

        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxEmbedder.Create(_folder.Path));

        Assert.Contains(OnnxPath, error.Message, StringComparison.Ordinal);
    }

    [FixtureTheory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(200_000)]
    public void A_truncated_tokenizer_json_gives_TokenizerFormatException_naming_the_file(int keptBytes)
    {
        WriteModel();
        var whole = File.ReadAllBytes(TokenizerPath);
        File.WriteAllBytes(TokenizerPath, whole.AsSpan(0, keptBytes).ToArray());

        var error = Assert.Throws<TokenizerFormatException>(() => OnnxEmbedder.Create(_folder.Path));

        Assert.Equal(TokenizerPath, error.SourceName);
        Assert.StartsWith(TokenizerPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("malformed JSON", error.Problem, StringComparison.Ordinal);
    }

    [FixtureTheory]
    [InlineData("\"vocab\":{", "\"vocab\":12,\"unused\":{", "$.model.vocab")]
    [InlineData("\"model\":{\"type\":\"WordPiece\"", "\"model\":{\"type\":[\"WordPiece\"]", "$.model.type")]
    [InlineData("\"unk_token\":\"[UNK]\"", "\"unk_token\":\"[NOT-IN-VOCAB]\"", "$.model")]
    public void A_malformed_tokenizer_json_names_the_file_and_the_place_in_it(string find, string replace, string location)
    {
        WriteModel();
        string json = File.ReadAllText(TokenizerPath);
        Assert.Contains(find, json, StringComparison.Ordinal);
        File.WriteAllText(TokenizerPath, ReplaceFirst(json, find, replace));

        var error = Assert.Throws<TokenizerFormatException>(() => OnnxEmbedder.Create(_folder.Path));

        Assert.Equal(TokenizerPath, error.SourceName);
        Assert.StartsWith(location, error.Location, StringComparison.Ordinal);
    }

    [FixtureTheory]
    [InlineData("\"unk_token\":\"[UNK]\"", "\"unk_token\":\"[UNK]\\ud800\"")]
    [InlineData("\"unk_token\":\"[UNK]\"", "\"unk_token\":\"[UNK]\xC3\x28\"")]
    public void A_tokenizer_json_string_that_is_not_valid_Unicode_is_refused_naming_the_file(string find, string replace)
    {
        // A lone surrogate escape, or bytes that are not UTF-8 (0xC3 0x28): the JSON parser accepts both, the text is unreadable.
        WriteModel();
        var bytes = File.ReadAllBytes(TokenizerPath);
        var text = System.Text.Encoding.Latin1.GetString(bytes);
        File.WriteAllBytes(TokenizerPath, System.Text.Encoding.Latin1.GetBytes(ReplaceFirst(text, find, replace)));

        var error = Assert.Throws<TokenizerFormatException>(() => OnnxEmbedder.Create(_folder.Path));

        Assert.Equal(TokenizerPath, error.SourceName);
        Assert.Equal("$.model.unk_token", error.Location);
        Assert.Contains("not valid Unicode", error.Problem, StringComparison.Ordinal);
    }

    [FixtureFact]
    public void An_unsupported_tokenizer_component_is_refused_naming_its_type_and_the_file()
    {
        WriteModel();
        string json = File.ReadAllText(TokenizerPath);
        File.WriteAllText(TokenizerPath, ReplaceFirst(json, "\"type\":\"BertPreTokenizer\"", "\"type\":\"FancyPreTokenizer\""));

        var error = Assert.Throws<NotSupportedException>(() => OnnxEmbedder.Create(_folder.Path));

        Assert.Contains(TokenizerPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("'FancyPreTokenizer'", error.Message, StringComparison.Ordinal);
        Assert.Contains("$.pre_tokenizer", error.Message, StringComparison.Ordinal);
    }

    [FixtureFact]
    public void Token_ids_beyond_the_embedding_table_are_caught_before_the_runtime_sees_them()
    {
        // A 1,000-row embedding table under the 30,522-token BERT tokenizer: the tokenizer belongs to another model.
        WriteModel(shape: GeneratedModelFolder.Shape with { Vocab = 1000 }, configVocabularySize: 1000);
        var folder = ModelFolder.Open(_folder.Path);
        var backend = new ObservedBackend(OnnxInferenceBackend.Create(OnnxModelFile.Find(folder)));
        using var embedder = Embedder.Create(folder, OnnxEmbedder.LoadTokenizer(folder), backend);

        var error = Assert.Throws<ModelConfigurationException>(() => embedder.Embed(["", "hello world"]));

        Assert.Equal(0, backend.Runs); // "" sorts first and shares the batch with the bad item: nothing ran
        Assert.Contains("Item 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("7592", error.Message, StringComparison.Ordinal); // "hello"
        Assert.Contains("1000", error.Message, StringComparison.Ordinal);
        Assert.Contains("config.json", error.Message, StringComparison.Ordinal);
        Assert.Throws<ModelConfigurationException>(() => embedder.EmbedTokens(["hello"]));
        Assert.Throws<ModelConfigurationException>(() => embedder.LateChunk(["hello"]));
        Assert.Equal(0, backend.Runs);
        Assert.Equal(32, embedder.Embed([""]).Dimensions); // [CLS] and [SEP] are inside the table: the model itself works
    }

    [FixtureFact]
    public void Without_vocab_size_in_config_json_the_runtime_bounds_check_gives_a_typed_error()
    {
        // Nothing declares the table's size, so the ids reach ONNX Runtime, whose CPU Gather checks its indices.
        WriteModel(shape: GeneratedModelFolder.Shape with { Vocab = 1000 }, configVocabularySize: 0);
        using var embedder = OnnxEmbedder.Create(_folder.Path);

        var error = Assert.Throws<OnnxRuntimeException>(() => embedder.Embed(["hello world"]));

        Assert.Contains(OnnxPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("idx=7592", error.Message, StringComparison.Ordinal); // "hello", against a table of 1,000 rows
        Assert.Equal(32, embedder.Embed([""]).Dimensions); // the failed run left the session usable
    }

    [FixtureFact]
    public void A_model_without_input_ids_is_refused_naming_the_file()
    {
        WriteModel();
        var graph = new OnnxGraphBuilder("no-input-ids");
        var ids = graph.AddInput("ids", OnnxDataType.Int64, "batch_size", "sequence_length");
        var hidden = graph.NamedNode("Cast", [ids], "last_hidden_state", OnnxAttribute.Int("to", (long)OnnxDataType.Float));
        graph.AddOutput(hidden, OnnxDataType.Float, "batch_size", "sequence_length");
        new OnnxModel(graph.Build()).Save(OnnxPath);

        var error = Assert.Throws<NotSupportedException>(() => OnnxEmbedder.Create(_folder.Path));

        Assert.Contains(OnnxPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("input_ids", error.Message, StringComparison.Ordinal);
    }

    [FixtureFact]
    public void A_model_without_a_recognised_output_is_refused_at_each_call_naming_the_outputs_it_has()
    {
        WriteModel(new BertGraphOptions { HiddenStateOutputName = "encoder_output" });
        using var embedder = OnnxEmbedder.Create(_folder.Path);

        var dense = Assert.Throws<NotSupportedException>(() => embedder.Embed(["text"]));
        var tokens = Assert.Throws<NotSupportedException>(() => embedder.EmbedTokens(["text"]));
        var sparse = Assert.Throws<NotSupportedException>(() => embedder.EmbedSparse(["text"]));

        Assert.All(new[] { dense, tokens, sparse }, e => Assert.Contains("encoder_output", e.Message, StringComparison.Ordinal));
        Assert.False(embedder.Info.SupportsTokenEmbeddings);
    }

    [FixtureTheory]
    [InlineData("config.json", "{\"vocab_size\": \"many\"}", "'vocab_size' should be a number")]
    [InlineData("modules.json", "[{\"type\": \"sentence_transformers.models.Transformer\", \"path\": \"../elsewhere\"}]", "outside the model folder")]
    [InlineData("tokenizer_config.json", "{\"padding_side\": \"middle\"}", "'padding_side'")]
    [InlineData("config_sentence_transformers.json", "{\"prompts\": {\"q\": \"q: \"}, \"default_prompt_name\": \"p\"}", "default_prompt_name")]
    [InlineData("sentence_bert_config.json", "{\"max_seq_length\": -5}", "'max_seq_length' must be positive")]
    [InlineData("1_Pooling/config.json", "{\"pooling_mode\": \"median\"}", "unknown pooling mode")]
    [InlineData("sentence_bert_config.json", "{\"max_seq_length\": 2147483647}", "'max_seq_length' is 2147483647")]
    [InlineData("config.json", "{\"max_position_embeddings\": 2147483647}", "'max_position_embeddings' is 2147483647")]
    [InlineData("config.json", "{\"n_positions\": 99999999999}", "'n_positions' is 99999999999")]
    public void A_malformed_configuration_file_is_refused_naming_the_file_and_the_field(string file, string content, string expected)
    {
        WriteModel();
        if (file.StartsWith("1_Pooling", StringComparison.Ordinal))
            File.WriteAllText(Path.Combine(_folder.Path, "modules.json"),
                "[{\"type\": \"sentence_transformers.models.Transformer\", \"path\": \"\"}, {\"type\": \"sentence_transformers.models.Pooling\", \"path\": \"1_Pooling\"}]");
        string path = _folder.Write(file, content);

        var error = Assert.Throws<ModelConfigurationException>(() => OnnxEmbedder.Create(_folder.Path));

        Assert.Equal(Path.GetFullPath(path), Path.GetFullPath(error.FilePath!));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [FixtureFact]
    public void An_absurd_sequence_length_with_a_position_table_is_refused_at_load_naming_the_field()
    {
        WriteModel();
        string path = _folder.Write("sentence_bert_config.json", "{\"max_seq_length\": 2147483647}");
        var config = Path.Combine(_folder.Path, "config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("{", "{\"max_position_embeddings\": 512, ", StringComparison.Ordinal));

        var error = Assert.Throws<ModelConfigurationException>(() => OnnxEmbedder.Create(_folder.Path));

        Assert.Equal(Path.GetFullPath(path), Path.GetFullPath(error.FilePath!));
        Assert.Contains("'max_seq_length'", error.Message, StringComparison.Ordinal);
    }

    [FixtureTheory]
    [InlineData("config.json", "/dev/zero")]
    [InlineData("sentence_bert_config.json", "/dev/zero")]
    [InlineData("tokenizer.json", "/dev/urandom")]
    [InlineData("onnx/model.onnx", "/dev/zero")]
    public void A_device_file_in_place_of_a_model_file_is_refused_naming_it(string file, string device)
    {
        if (!File.Exists(device)) return; // not a Unix system
        WriteModel();
        string path = Path.Combine(_folder.Path, file);
        File.Delete(path);
        File.CreateSymbolicLink(path, device);

        var error = Assert.ThrowsAny<Exception>(() => OnnxEmbedder.Create(_folder.Path));

        AssertNamesFileNotRegular(error, path);
    }

    [FixtureTheory]
    [InlineData("config.json")]
    [InlineData("tokenizer.json")]
    [InlineData("2_Dense/model.safetensors")]
    public void A_FIFO_in_place_of_a_model_file_is_refused_without_waiting_for_a_writer(string file)
    {
        if (OperatingSystem.IsWindows()) return;
        WriteModel();
        if (file.StartsWith("2_Dense", StringComparison.Ordinal))
        {
            File.WriteAllText(Path.Combine(_folder.Path, "modules.json"),
                "[{\"type\": \"sentence_transformers.models.Transformer\", \"path\": \"\"}, {\"type\": \"sentence_transformers.models.Dense\", \"path\": \"2_Dense\"}]");
            _folder.Write("2_Dense/config.json", "{\"in_features\": 32, \"out_features\": 4, \"bias\": true, \"activation_function\": \"torch.nn.modules.linear.Identity\"}");
        }
        string path = Path.Combine(_folder.Path, file);
        File.Delete(path);
        Assert.Equal(0, MakeFifo(path, Convert.ToInt32("600", 8)));

        // Opening a FIFO blocks until a writer appears; the load must refuse it before opening, so it returns at all.
        var load = Task.Run(() => Assert.ThrowsAny<Exception>(() => OnnxEmbedder.Create(_folder.Path)));
        if (!load.Wait(TimeSpan.FromMinutes(2)))
        {
            using (var writer = new FileStream(path, FileMode.Open, FileAccess.Write)) { } // release the blocked reader
            Assert.Fail($"loading a folder whose {file} is a FIFO waited for a writer");
        }

        AssertNamesFileNotRegular(load.Result, path);
    }

    private static void AssertNamesFileNotRegular(Exception error, string path)
    {
        Assert.True(error is ModelConfigurationException or TokenizerFormatException, $"{error.GetType().Name}: {error.Message}");
        var named = error is ModelConfigurationException config ? config.FilePath! : ((TokenizerFormatException)error).SourceName;
        Assert.Equal(Path.GetFullPath(path), Path.GetFullPath(named));
        Assert.Contains("not a regular file", error.Message, StringComparison.Ordinal);
    }

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);

    private static string ReplaceFirst(string text, string find, string replace)
    {
        int at = text.IndexOf(find, StringComparison.Ordinal);
        return text[..at] + replace + text[(at + find.Length)..];
    }
}
