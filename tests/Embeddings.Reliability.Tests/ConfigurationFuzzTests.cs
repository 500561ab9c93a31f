using Embeddings.Models;
using Embeddings.Onnx;
using Embeddings.Reliability.Tests.Support;
using Embeddings.TestModels;
using Embeddings.Tokenization;
using FsCheck;
using FsCheck.Fluent;

namespace Embeddings.Reliability.Tests;

/// <summary>
/// Property tests over the model folder's JSON configuration readers (config.json, tokenizer_config.json,
/// special_tokens_map.json, modules.json, sentence_bert_config.json, config_sentence_transformers.json,
/// 1_Pooling/config.json, 2_Dense/config.json and its model.safetensors) with random structural edits, byte edits,
/// deleted files and files replaced by other JSON values (docs/reliability.md, "Fuzzing"). A folder opens or is
/// refused with <see cref="ModelConfigurationException"/> naming the file; one that opens gives an embedder that
/// embeds, or refuses with a documented exception.
/// </summary>
public sealed class ConfigurationFuzzTests(WorkloadModel model) : IClassFixture<WorkloadModel>, IDisposable
{
    private readonly TemporaryFolder _root = new();
    private readonly Lazy<ModelFolderFiles> _files = new(ModelFolderFiles.Create); // read from the fixtures on first use
    private int _cases;

    public void Dispose() => _root.Dispose();

    private static Arbitrary<FileEdit[]> Edits => Gen.Choose(1, 3).SelectMany(count => FileEdit.Generator.ArrayOf(count)).ToArbitrary();

    private string WriteCase(IEnumerable<FileEdit> edits)
    {
        string directory = Path.Combine(_root.Path, $"case-{Interlocked.Increment(ref _cases)}");
        Directory.CreateDirectory(directory);
        _files.Value.WriteTo(directory, edits);
        return directory;
    }

    [FixtureFact]
    public void The_unmutated_folder_opens_with_every_module()
    {
        var folder = ModelFolder.Open(WriteCase([]));

        Assert.Single(folder.DenseLayers);
        Assert.True(folder.Normalize);
        Assert.Equal([Pooling.PoolingMode.Mean], folder.Pooling!.Modes);
        Assert.Equal(512, folder.MaxSequenceLength);
    }

    [FixtureFact]
    public void A_mutated_model_folder_opens_or_is_refused_with_ModelConfigurationException_naming_the_file()
    {
        var tally = new AcceptanceTally();
        Check.One(FuzzConfig.Cases(250), Prop.ForAll(Edits, edits =>
        {
            string directory = WriteCase(edits);
            try
            {
                ModelFolder.Open(directory);
                tally.Accept();
            }
            catch (ModelConfigurationException e)
            {
                Assert.NotNull(e.FilePath);
                Assert.StartsWith(Path.GetFullPath(directory), Path.GetFullPath(e.FilePath));
                tally.Refuse();
            }
            return true;
        }));
        // The default seed opens 61 of 250 (24%): most single edits break a file, but a folder that never opens means the
        // reader refuses everything.
        tally.RequireAcceptedShare(0.10, "mutated folders that open");
    }

    [FixtureFact]
    public void A_mutated_model_folder_that_opens_embeds_or_refuses_with_a_documented_exception()
    {
        // The generated model's own (reduced) vocabulary; the fixture's config.json still says 30,522 rows, so the
        // tokenizer's ids must all fit the real table for a failure to point at the configuration under test.
        var tokenizer = Tokenizer.FromFile(Path.Combine(model.Directory, "tokenizer.json"));
        using var backend = OnnxInferenceBackend.Create(Path.Combine(model.Directory, "onnx", "model.onnx"));
        using (var control = Embedder.Create(ModelFolder.Open(WriteCase([])), tokenizer, backend, ownsBackend: false))
            Assert.Equal(16, control.Embed(["the Dense module maps 32 values to 16"]).Dimensions);

        var tally = new AcceptanceTally();
        Check.One(FuzzConfig.Cases(150), Prop.ForAll(Edits, edits =>
        {
            ModelFolder folder;
            try
            {
                folder = ModelFolder.Open(WriteCase(edits));
            }
            catch (ModelConfigurationException)
            {
                tally.Refuse();
                return true;
            }
            try
            {
                using var embedder = Embedder.Create(folder, tokenizer, backend, ownsBackend: false);
                var result = embedder.Embed(["A short text.", "", "query: another one, a little longer than the first"]);
                Assert.Equal(3, result.Count);
                Assert.Equal(embedder.Info.Dimensions, result.Dimensions);
                tally.Accept();
            }
            catch (ModelConfigurationException)
            {
                tally.Refuse();
            }
            return true;
        }));
        // The default seed embeds with 36 of 150 (24%).
        tally.RequireAcceptedShare(0.10, "mutated folders that embed");
    }
}
