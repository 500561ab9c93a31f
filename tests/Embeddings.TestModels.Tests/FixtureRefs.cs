using System.Text.Json;

namespace Embeddings.TestModels.Tests;

/// <summary>
/// Reads the shared model fixtures for the reference checks: config.json, the ONNX initializers (copied by
/// name into a weights object), and refs.jsonl. The references are rounded to 7 significant digits, so a
/// double-precision pass must agree to that rounding: a relative 1e-6 (plus 1e-9 for values near 0).
/// </summary>
internal static class FixtureRefs
{
    private const double RelativeTolerance = 1e-6;
    private const double AbsoluteTolerance = 1e-9;

    public static JsonElement Config(string model) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.ModelDir(model), "config.json"))).RootElement;

    /// <summary>
    /// Copies every float initializer of the fixture's model.onnx into the array of the parameter with the same
    /// name. A parameter the file lacks fails the test unless <paramref name="optional"/> says it may be absent.
    /// </summary>
    /// <returns>The names of the parameters the file lacked.</returns>
    public static List<string> CopyInitializers(string model, IEnumerable<(string Name, float[] Values)> parameters, Func<string, bool> optional)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Fixtures.ModelDir(model), "onnx", "model.onnx"));
        var tensors = OnnxDecoder.Model(bytes).Graph.Initializers.Where(t => t.DataType == 1 && t.RawData is not null).ToDictionary(t => t.Name);
        var missing = new List<string>();
        foreach (var (name, values) in parameters)
        {
            if (!tensors.TryGetValue(name, out var tensor))
            {
                Assert.True(optional(name), $"{model}: no initializer '{name}'");
                missing.Add(name);
                continue;
            }
            var data = tensor.Floats();
            Assert.True(values.Length == data.Length, $"{model}: '{name}' has {data.Length} values, the shape wants {values.Length}");
            data.CopyTo(values, 0);
        }
        return missing;
    }

    /// <summary>The refs.jsonl lines of one type, one per distinct input (batch-mode lines repeat the single-mode ones).</summary>
    public static List<JsonElement> Lines(string model, string type) =>
        File.ReadLines(Path.Combine(Fixtures.ModelDir(model), "refs.jsonl"))
            .Where(line => line.Length > 0)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(line => line.GetProperty("type").GetString() == type)
            .DistinctBy(line => string.Join(",", Ids(line)))
            .ToList();

    public static long[] Ids(JsonElement line) => line.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt64()).ToArray();

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = Math.Abs(expected[i] - actual[i]);
            Assert.True(diff <= RelativeTolerance * Math.Abs(expected[i]) + AbsoluteTolerance,
                $"{what}: element {i} differs by {diff:E2} (expected {expected[i]}, got {actual[i]})");
        }
    }
}
