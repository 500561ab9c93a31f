using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;

namespace Embeddings.Onnx.Native;

/// <summary>
/// Finds and loads the ONNX Runtime native library: an explicit path from the options, else the
/// <c>ORT_DYLIB_PATH</c> environment variable, else the application's own folders (where the
/// Microsoft.ML.OnnxRuntime packages put it), else the operating system's library search.
/// </summary>
/// <remarks>
/// An explicit path or <c>ORT_DYLIB_PATH</c>, when set, is the only place tried: silently falling back to
/// some other library would hide the mistake in the path (or load a different version than asked for).
/// </remarks>
internal static unsafe class OrtLibraryResolver
{
    /// <summary>The environment variable naming the library (the same one the Rust <c>ort</c> crate reads).</summary>
    public const string EnvironmentVariable = "ORT_DYLIB_PATH";

    /// <summary>The symbol every ONNX Runtime library exports; everything else comes through its tables.</summary>
    private const string EntryPoint = "OrtGetApiBase";

    /// <summary>One place to look.</summary>
    /// <param name="Place">Where the candidate comes from, for the error message.</param>
    /// <param name="Target">A file path, or a bare file name for the system search.</param>
    /// <param name="IsBareName">True for a name the operating system's loader searches for.</param>
    internal sealed record Candidate(string Place, string Target, bool IsBareName);

    /// <summary>The places to try, in order.</summary>
    /// <param name="explicitPath">The path from the options, or null.</param>
    /// <param name="environmentPath">The value of <c>ORT_DYLIB_PATH</c>, or null.</param>
    /// <param name="applicationDirectory">The application's base folder.</param>
    public static IReadOnlyList<Candidate> Candidates(string? explicitPath, string? environmentPath, string applicationDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
            return [new Candidate("OnnxRuntimeOptions.LibraryPath", FileIn(explicitPath), false)];
        if (!string.IsNullOrWhiteSpace(environmentPath))
            return [new Candidate(EnvironmentVariable, FileIn(environmentPath), false)];

        var candidates = new List<Candidate>();
        foreach (var rid in RuntimeIdentifiers())
            foreach (var name in LibraryFileNames())
                candidates.Add(new Candidate($"application folder (runtimes/{rid}/native)", Path.Combine(applicationDirectory, "runtimes", rid, "native", name), false));
        // A RID-specific publish flattens runtimes/<rid>/native/ into the application folder.
        foreach (var name in LibraryFileNames())
            candidates.Add(new Candidate("application folder", Path.Combine(applicationDirectory, name), false));
        foreach (var name in LibraryFileNames())
            candidates.Add(new Candidate("system library search", name, true));
        return candidates;
    }

    /// <summary>Loads the first candidate that is a usable ONNX Runtime.</summary>
    /// <param name="candidates">The places to try, in order.</param>
    /// <param name="apiVersion">The API version the library must offer (tests ask for more than any library has).</param>
    /// <exception cref="OnnxRuntimeNotFoundException">None was.</exception>
    public static OrtRuntime Load(IReadOnlyList<Candidate> candidates, uint apiVersion = OrtApi.RequiredVersion)
    {
        var failures = new List<string>(candidates.Count);
        foreach (var candidate in candidates)
        {
            if (TryLoad(candidate, apiVersion, out var runtime, out var reason)) return runtime;
            failures.Add($"{candidate.Place}: {candidate.Target}: {reason}");
        }
        throw new OnnxRuntimeNotFoundException(Explain(failures), failures);
    }

    /// <summary>The library's file names on this operating system, most specific first.</summary>
    public static IReadOnlyList<string> LibraryFileNames()
    {
        if (OperatingSystem.IsWindows()) return ["onnxruntime.dll"];
        if (OperatingSystem.IsMacOS()) return ["libonnxruntime.dylib", "libonnxruntime.1.dylib"];
        if (OperatingSystem.IsLinux()) return ["libonnxruntime.so.1", "libonnxruntime.so"];
        return ["libonnxruntime.so"];
    }

    private static bool TryLoad(Candidate candidate, uint apiVersion, [NotNullWhen(true)] out OrtRuntime? runtime, out string reason)
    {
        runtime = null;
        if (!candidate.IsBareName && !File.Exists(candidate.Target))
        {
            reason = Directory.Exists(candidate.Target) ? "is a folder without an ONNX Runtime library in it" : "no such file";
            return false;
        }

        nint library;
        try
        {
            library = NativeLibrary.Load(candidate.Target);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            reason = $"could not be loaded ({e.Message.Trim()})";
            return false;
        }

        if (!NativeLibrary.TryGetExport(library, EntryPoint, out var getApiBase))
        {
            NativeLibrary.Free(library);
            reason = $"loaded, but it does not export {EntryPoint}, so it is not an ONNX Runtime library";
            return false;
        }

        // const OrtApiBase* OrtGetApiBase(void); OrtApiBase = { const OrtApi* GetApi(uint32_t version); const char* GetVersionString(void); }
        var apiBase = ((delegate* unmanaged<nint*>)getApiBase)();
        if (apiBase is null)
        {
            reason = $"{EntryPoint} returned null";
            return false;
        }
        var version = Utf8.ToString(((delegate* unmanaged<byte*>)apiBase[1])()) ?? "of unknown version";
        var table = ((delegate* unmanaged<uint, nint*>)apiBase[0])(apiVersion);
        if (table is null)
        {
            // Left loaded: code from it has run, and unloading a runtime mid-process is not worth the risk.
            reason = $"is ONNX Runtime {version}, which does not offer API version {apiVersion}; ONNX Runtime 1.{apiVersion} or newer is needed";
            return false;
        }

        runtime = new OrtRuntime(candidate.Target, version, new OrtApi(table));
        reason = string.Empty;
        return true;
    }

    private static string FileIn(string path)
    {
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full)) return full;
        foreach (var name in LibraryFileNames())
        {
            var inside = Path.Combine(full, name);
            if (File.Exists(inside)) return inside;
        }
        return full;
    }

    private static IEnumerable<string> RuntimeIdentifiers()
    {
        var arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "x86",
            Architecture.Arm => "arm",
            var other => other.ToString().ToLowerInvariant(),
        };
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : OperatingSystem.IsLinux() ? "linux" : RuntimeInformation.OSDescription.Split(' ')[0].ToLowerInvariant();
        var portable = $"{os}-{arch}";
        // The running RID comes first when it is more specific (e.g. linux-musl-x64).
        if (!string.Equals(RuntimeInformation.RuntimeIdentifier, portable, StringComparison.Ordinal))
            yield return RuntimeInformation.RuntimeIdentifier;
        yield return portable;
    }

    private static string Explain(IReadOnlyList<string> failures)
    {
        var text = new StringBuilder("No usable ONNX Runtime native library was found. Places tried, in order:");
        foreach (var failure in failures) text.Append("\n  - ").Append(failure);
        text.Append("\nTo fix this, add the Microsoft.ML.OnnxRuntime NuGet package (or Microsoft.ML.OnnxRuntime.Gpu) to the application, ")
            .Append("which puts the library under runtimes/<rid>/native/, or set the ").Append(EnvironmentVariable)
            .Append(" environment variable (or OnnxRuntimeOptions.LibraryPath) to the full path of an ONNX Runtime 1.")
            .Append(OrtApi.RequiredVersion).Append(" or newer library (")
            .Append(string.Join(" / ", LibraryFileNames())).Append(" on this system).");
        return text.ToString();
    }
}
