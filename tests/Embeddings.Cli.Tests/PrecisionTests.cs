using System.Runtime.InteropServices;
using System.Text.Json;
using Embeddings.Onnx;
using Embeddings.PostProcessing;
using Embeddings.TestModels;

namespace Embeddings.Cli.Tests;

/// <summary><c>embed --precision</c> and <c>--encoding base64</c> give exactly the library's quantizer output.</summary>
public sealed class PrecisionTests
{
    private static readonly string[] Texts =
    [
        "The cat sat on the mat.", "Quantum computers factor large numbers.", "A recipe for bread needs flour.",
        "Stocks fell sharply on Monday.", "Rain is expected tomorrow afternoon.", "He plays the violin every evening.",
    ];

    [FixtureTheory]
    [InlineData("int8", QuantizationPrecision.Int8)]
    [InlineData("uint8", QuantizationPrecision.UInt8)]
    [InlineData("binary", QuantizationPrecision.Binary)]
    [InlineData("ubinary", QuantizationPrecision.UBinary)]
    public async Task Quantized_rows_equal_the_library_quantizer_over_the_whole_input(string name, QuantizationPrecision precision)
    {
        var model = Fixtures.ModelDir("bert-mean-tiny");
        var (floats, dimensions) = await LibraryEmbeddings(model);
        int width = EmbeddingQuantizer.BytesPerRow(precision, dimensions);
        var expected = new byte[Texts.Length * width];
        EmbeddingQuantizer.Quantize(floats, dimensions, precision, expected);
        bool signed = precision is QuantizationPrecision.Int8 or QuantizationPrecision.Binary;

        var asArray = CliRun.Run(CliRun.TextLines(Texts), "embed", "--model", model, "--precision", name);
        var asBase64 = CliRun.Run(CliRun.TextLines(Texts), "embed", "--model", model, "--precision", name, "--encoding", "base64");

        Assert.Equal(0, asArray.ExitCode);
        Assert.Equal(0, asBase64.ExitCode);
        for (int row = 0; row < Texts.Length; row++)
        {
            var expectedRow = expected.AsSpan(row * width, width).ToArray();
            var numbers = Embedding(asArray.OutputLines[row]).EnumerateArray().Select(e => e.GetInt32()).ToArray();
            Assert.Equal(expectedRow.Select(b => signed ? (int)(sbyte)b : b), numbers);
            Assert.Equal(expectedRow, Convert.FromBase64String(Embedding(asBase64.OutputLines[row]).GetString()!));
        }
    }

    [FixtureFact]
    public async Task Float_base64_is_the_little_endian_float32_bytes_of_the_vector()
    {
        var model = Fixtures.ModelDir("bert-cls-tiny");
        var (floats, dimensions) = await LibraryEmbeddings(model);
        var result = CliRun.Run(CliRun.TextLines(Texts), "embed", "--model", model, "--encoding", "base64");
        Assert.Equal(0, result.ExitCode);
        for (int row = 0; row < Texts.Length; row++)
        {
            var bytes = Convert.FromBase64String(Embedding(result.OutputLines[row]).GetString()!);
            var decoded = new float[bytes.Length / sizeof(float)];
            for (int i = 0; i < decoded.Length; i++) decoded[i] = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
            Assert.Equal(floats.AsSpan(row * dimensions, dimensions).ToArray(), decoded);
        }
    }

    [FixtureFact]
    public void Float_precision_is_the_default_output()
    {
        var model = Fixtures.ModelDir("bert-cls-tiny");
        var byDefault = CliRun.Run(CliRun.TextLines(Texts), "embed", "--model", model);
        var explicitFloat = CliRun.Run(CliRun.TextLines(Texts), "embed", "--model", model, "--precision", "float", "--encoding", "array");
        Assert.Equal(byDefault.Output, explicitFloat.Output);
    }

    [Fact]
    public void An_unknown_precision_is_a_usage_error()
    {
        var result = CliRun.Run("", "embed", "--model", "no-such-folder", "--precision", "fp16");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("unknown --precision 'fp16'; use float, int8, uint8, binary or ubinary", Assert.Single(result.ErrorLines));
    }

    private static JsonElement Embedding(string line)
    {
        using var document = JsonDocument.Parse(line);
        return document.RootElement.GetProperty("embedding").Clone();
    }

    private static async Task<(float[] Floats, int Dimensions)> LibraryEmbeddings(string model)
    {
        using var embedder = await OnnxEmbedder.CreateAsync(model);
        var result = embedder.Embed(Texts);
        return (MemoryMarshal.ToEnumerable(result.Data).ToArray(), result.Dimensions);
    }
}
