using Embeddings.Inference;
using Embeddings.Onnx.Tests.Support;
using Element = Embeddings.Onnx.Tests.Support.TinyOnnxGraph.ElementType;

namespace Embeddings.Onnx.Tests;

/// <summary>
/// How the backend feeds inputs and reads outputs, on tiny Cast/Identity graphs whose outputs reveal
/// exactly what was fed.
/// </summary>
public sealed class ModelInputOutputTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Position_ids_from_the_batch_are_fed()
    {
        var model = new TinyOnnxGraph()
            .Input("input_ids", Element.Int64, "batch", "sequence")
            .Input("attention_mask", Element.Int64, "batch", "sequence")
            .Input("position_ids", Element.Int64, "batch", "sequence")
            .Output("last_hidden_state", Element.Float, "batch", "sequence")
            .Cast("position_ids", "last_hidden_state", Element.Float)
            .Save(_directory.File("positions.onnx"));
        using var backend = OnnxInferenceBackend.Create(model);
        long[] positions = [1, 1, 0, 1, 2, 3];

        using var output = backend.Run(new InferenceBatch(2, 3, new long[6], new long[6], positionIds: positions), "last_hidden_state");

        Assert.Equal(ModelInputs.InputIds | ModelInputs.AttentionMask | ModelInputs.PositionIds, backend.Signature.Inputs);
        Assert.Equal([2L, 3L], output.Shape.ToArray());
        Assert.Equal(positions.Select(p => (float)p), output.Data.ToArray());
    }

    [Fact]
    public void A_model_that_takes_position_ids_rejects_a_batch_without_them()
    {
        var model = new TinyOnnxGraph()
            .Input("input_ids", Element.Int64, "batch", "sequence")
            .Input("position_ids", Element.Int64, "batch", "sequence")
            .Output("last_hidden_state", Element.Float, "batch", "sequence")
            .Cast("position_ids", "last_hidden_state", Element.Float)
            .Save(_directory.File("positions.onnx"));
        using var backend = OnnxInferenceBackend.Create(model);

        var error = Assert.Throws<ArgumentException>(() => backend.Run(Batches.Single([5, 6]), "last_hidden_state"));

        Assert.Contains("position_ids", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Past_key_value_inputs_get_an_empty_cache_and_present_outputs_are_hidden()
    {
        var model = new TinyOnnxGraph()
            .Input("input_ids", Element.Int64, "batch", "sequence")
            .Input("attention_mask", Element.Int64, "batch", "sequence")
            .Input("past_key_values.0.key", Element.Float, "batch", 2, "past_sequence", 4)
            .Input("past_key_values.0.value", Element.Float16, "batch", 2, "past_sequence", 4)
            .Output("last_hidden_state", Element.Float, "batch", "sequence")
            .Output("present.0.key", Element.Float, "batch", 2, "past_sequence", 4)
            .Output("present.0.value", Element.Float16, "batch", 2, "past_sequence", 4)
            .Cast("input_ids", "last_hidden_state", Element.Float)
            .Identity("past_key_values.0.key", "present.0.key")
            .Identity("past_key_values.0.value", "present.0.value")
            .Save(_directory.File("decoder.onnx"));
        using var backend = OnnxInferenceBackend.Create(model);

        using var output = backend.Run(Batches.Padded([[7, 8, 9], [10, 11, 12]], padLeft: true, padId: 0), "last_hidden_state");

        Assert.Equal(ModelInputs.InputIds | ModelInputs.AttentionMask, backend.Signature.Inputs);
        Assert.Equal("last_hidden_state", Assert.Single(backend.Signature.Outputs).Name);
        Assert.Equal([7f, 8, 9, 10, 11, 12], output.Data.ToArray());
    }

    [Fact]
    public void Empty_cache_has_the_declared_heads_and_head_size()
    {
        // The output is the cache itself, so its shape shows what was fed: [batch, kv_heads, 0, head_dim].
        var model = new TinyOnnxGraph()
            .Input("input_ids", Element.Int64, "batch", "sequence")
            .Input("past_key_values.0.key", Element.Float, "batch", 3, "past_sequence", 5)
            .Output("cache", Element.Float, "batch", 3, "past_sequence", 5)
            .Identity("past_key_values.0.key", "cache")
            .Save(_directory.File("cache.onnx"));
        using var backend = OnnxInferenceBackend.Create(model);

        using var output = backend.Run(Batches.Padded([[1, 2], [3, 4]], padLeft: false, padId: 0), "cache");

        Assert.Equal([2L, 3L, 0L, 5L], output.Shape.ToArray());
        Assert.Equal(0, output.Data.Length);
    }

    [Theory]
    [InlineData(nameof(Element.Float16))]
    [InlineData(nameof(Element.BFloat16))]
    public void Half_precision_outputs_are_widened_to_float32(string elementType)
    {
        var type = Enum.Parse<TinyOnnxGraph.ElementType>(elementType);
        var model = new TinyOnnxGraph()
            .Input("input_ids", Element.Int64, "batch", "sequence")
            .Output("last_hidden_state", type, "batch", "sequence")
            .Cast("input_ids", "last_hidden_state", type)
            .Save(_directory.File($"{type}.onnx"));
        using var backend = OnnxInferenceBackend.Create(model);
        // Integers up to 256 are exact in both formats; -3 checks the sign bit.
        long[] ids = [0, 1, -3, 7, 100, 256];

        using var output = backend.Run(new InferenceBatch(2, 3, ids, new long[6]), "last_hidden_state");

        Assert.Equal([2L, 3L], output.Shape.ToArray());
        Assert.Equal(ids.Select(i => (float)i), output.Data.ToArray());
    }

    [Fact]
    public void A_non_float_output_is_refused_with_its_name_and_type()
    {
        var model = new TinyOnnxGraph()
            .Input("input_ids", Element.Int64, "batch", "sequence")
            .Output("ids_again", Element.Int64, "batch", "sequence")
            .Identity("input_ids", "ids_again")
            .Save(_directory.File("int-output.onnx"));
        using var backend = OnnxInferenceBackend.Create(model);

        var error = Assert.Throws<NotSupportedException>(() => backend.Run(Batches.Single([1, 2]), "ids_again"));

        Assert.Contains("ids_again", error.Message, StringComparison.Ordinal);
        Assert.Contains("Int64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_required_input_the_backend_cannot_feed_is_named_with_the_model_file()
    {
        var model = new TinyOnnxGraph()
            .Input("input_ids", Element.Int64, "batch", "sequence")
            .Input("pixel_values", Element.Float, "batch", 3, 224, 224)
            .Output("last_hidden_state", Element.Float, "batch", "sequence")
            .Cast("input_ids", "last_hidden_state", Element.Float)
            .Save(_directory.File("vision.onnx"));

        var error = Assert.Throws<NotSupportedException>(() => OnnxInferenceBackend.Create(model));

        Assert.Contains("pixel_values", error.Message, StringComparison.Ordinal);
        Assert.Contains(model, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Int32_token_inputs_are_refused_rather_than_fed_the_wrong_width()
    {
        var model = new TinyOnnxGraph()
            .Input("input_ids", Element.Int32, "batch", "sequence")
            .Output("last_hidden_state", Element.Float, "batch", "sequence")
            .Cast("input_ids", "last_hidden_state", Element.Float)
            .Save(_directory.File("int32.onnx"));

        var error = Assert.Throws<NotSupportedException>(() => OnnxInferenceBackend.Create(model));

        Assert.Contains("input_ids", error.Message, StringComparison.Ordinal);
        Assert.Contains("int64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_without_input_ids_is_refused()
    {
        var model = new TinyOnnxGraph()
            .Input("attention_mask", Element.Int64, "batch", "sequence")
            .Output("last_hidden_state", Element.Float, "batch", "sequence")
            .Cast("attention_mask", "last_hidden_state", Element.Float)
            .Save(_directory.File("no-ids.onnx"));

        var error = Assert.Throws<NotSupportedException>(() => OnnxInferenceBackend.Create(model));

        Assert.Contains("input_ids", error.Message, StringComparison.Ordinal);
    }
}
