using Embeddings.Models;

namespace Embeddings.Onnx;

/// <summary>
/// Finds the ONNX file of a model folder as Hugging Face ONNX exports lay it out (variants side by side in
/// <c>onnx/</c>, or at the root of the folder or of its Transformer module), and tells dynamically quantized files apart.
/// </summary>
public static class OnnxModelFile
{
    /// <summary>Graph nodes come before the weights in an ONNX file, so the operator names sit near its start.</summary>
    private const int QuantizationScanBytes = 16 * 1024 * 1024;

    /// <summary>The file of <paramref name="folder"/> to run.</summary>
    /// <param name="folder">The opened model folder.</param>
    /// <param name="options">The variant or explicit file; null for <c>model.onnx</c>.</param>
    /// <returns>The full path of the file.</returns>
    /// <exception cref="ModelConfigurationException">No such file (the message lists the .onnx files present), or the
    /// path is not a regular file or leaves the folder.</exception>
    public static string Find(ModelFolder folder, OnnxModelFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string path = Locate(folder.Directory, folder.TransformerDirectory, options ?? new OnnxModelFileOptions());
        if (RegularFile.NotRegularReason(path) is { } notRegular)
            throw new ModelConfigurationException($"is {notRegular}, not a regular file.", path);
        return path;
    }

    /// <summary>Finds the file of <paramref name="folder"/> that <paramref name="options"/> choose and loads it.</summary>
    /// <param name="folder">The opened model folder.</param>
    /// <param name="options">The variant or explicit file, and the dynamic-quantization declaration; null for the defaults.</param>
    /// <param name="runtime">Runtime and session settings; null for the defaults.</param>
    /// <exception cref="ModelConfigurationException">No such file (see <see cref="Find"/>).</exception>
    /// <exception cref="OnnxRuntimeNotFoundException">The ONNX Runtime native library could not be found or loaded.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime could not load the model.</exception>
    internal static OnnxInferenceBackend Load(ModelFolder folder, OnnxModelFileOptions? options, OnnxRuntimeOptions? runtime) =>
        OnnxInferenceBackend.Create(Find(folder, options), runtime, options?.DynamicallyQuantized);

    /// <summary>
    /// The '/'-separated repository paths to fetch for <paramref name="options"/>, most likely first: the explicit file,
    /// else the variant under <c>onnx/</c> and at the root.
    /// </summary>
    /// <param name="options">The variant or explicit file; null for <c>model.onnx</c>.</param>
    public static IReadOnlyList<string> DownloadCandidates(OnnxModelFileOptions? options = null)
    {
        options ??= new OnnxModelFileOptions();
        if (options.File is { } explicitFile) return [explicitFile.Replace('\\', '/')];
        string name = options.Variant.FileName();
        return ["onnx/" + name, name];
    }

    /// <summary>
    /// True when the file at <paramref name="path"/> is dynamically quantized: by its name (<c>model_quantized.onnx</c>,
    /// <c>*_int8.onnx</c>, <c>*_q8.onnx</c>…), else by the DynamicQuantizeLinear / DynamicQuantizeMatMul operators that
    /// compute activation scales per batch. An unreadable file counts as not quantized (loading it reports the problem).
    /// </summary>
    /// <param name="path">An ONNX file.</param>
    public static bool LooksDynamicallyQuantized(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string name = Path.GetFileNameWithoutExtension(path).ToLowerInvariant();
        if (name.Contains("quantized", StringComparison.Ordinal) || name.Contains("int8", StringComparison.Ordinal)
            || name.Contains("qint8", StringComparison.Ordinal) || name.EndsWith("_q8", StringComparison.Ordinal))
            return true;
        try
        {
            using var stream = File.OpenRead(path);
            var buffer = new byte[(int)Math.Min(stream.Length, QuantizationScanBytes)];
            stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return buffer.AsSpan().IndexOf("DynamicQuantize"u8) >= 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // the runtime reports an unreadable model with its own, better error
        }
    }

    private static string Locate(string directory, string transformerDir, OnnxModelFileOptions options)
    {
        if (options.File is { } explicitFile)
        {
            string path = ModelPaths.Inside(directory, explicitFile.Replace('\\', '/'), "OnnxModelFileOptions.File");
            return File.Exists(path) ? path
                : throw new ModelConfigurationException($"The ONNX file \"{explicitFile}\" does not exist in the model folder.", path);
        }
        string name = options.Variant.FileName();
        string[] candidates =
        [
            Path.Combine(directory, "onnx", name), Path.Combine(directory, name),
            Path.Combine(transformerDir, "onnx", name), Path.Combine(transformerDir, name),
        ];
        foreach (var candidate in candidates)
            if (File.Exists(candidate)) return candidate;
        var available = new[] { directory, Path.Combine(directory, "onnx") }
            .Where(Directory.Exists)
            .SelectMany(d => Directory.GetFiles(d, "*.onnx"))
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .ToArray();
        string hint = available.Length == 0
            ? "The folder has no .onnx file: export the model to ONNX (for example with optimum-cli export onnx) or pick a repository that ships onnx/model.onnx."
            : $"Files present: {string.Join(", ", available)}; choose one with OnnxModelFileOptions.Variant or File.";
        throw new ModelConfigurationException($"No {name} in the model folder (looked in onnx/ and the folder itself). {hint}", directory);
    }
}
