using Embeddings.Onnx.Native;
using Embeddings.Onnx.Tests.Support;

namespace Embeddings.Onnx.Tests;

/// <summary>Finding and loading the ONNX Runtime native library.</summary>
public sealed class NativeLibraryResolutionTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_library_fetched_by_the_build_is_found_in_the_application_folder()
    {
        // Missing here is a failure, not a skip: the build is responsible for putting it there.
        var runtime = OrtRuntime.Load(explicitPath: null);

        var expectedFolder = Path.Combine(AppContext.BaseDirectory, "runtimes");
        if (Environment.GetEnvironmentVariable(OrtLibraryResolver.EnvironmentVariable) is null)
            Assert.StartsWith(expectedFolder, runtime.LibraryPath, StringComparison.Ordinal);
        var version = Version.Parse(runtime.Version);
        Assert.True(version >= new Version(1, (int)OrtApi.RequiredVersion), $"ONNX Runtime {runtime.Version} is older than the API version requested.");
    }

    [Fact]
    public void A_bogus_explicit_path_is_the_only_place_tried_and_the_error_says_how_to_fix_it()
    {
        var missing = _directory.File("libonnxruntime.so.1");
        var options = new OnnxRuntimeOptions { LibraryPath = missing };

        var error = Assert.Throws<OnnxRuntimeNotFoundException>(() => OnnxInferenceBackend.Create(WriteAnyModel(), options));

        var place = Assert.Single(error.PlacesTried);
        Assert.Contains("OnnxRuntimeOptions.LibraryPath", place, StringComparison.Ordinal);
        Assert.Contains(missing, place, StringComparison.Ordinal);
        Assert.Contains("no such file", place, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("Microsoft.ML.OnnxRuntime", error.Message, StringComparison.Ordinal);
        Assert.Contains("ORT_DYLIB_PATH", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_library_is_reported_with_the_loader_error()
    {
        var notALibrary = _directory.File("onnxruntime.txt");
        File.WriteAllText(notALibrary, "not a shared library");

        var error = Assert.Throws<OnnxRuntimeNotFoundException>(() => OrtRuntime.Load(notALibrary));

        var place = Assert.Single(error.PlacesTried);
        Assert.Contains(notALibrary, place, StringComparison.Ordinal);
        Assert.Contains("could not be loaded", place, StringComparison.Ordinal);
    }

    [Fact]
    public void A_library_that_is_not_onnx_runtime_is_recognised_as_such()
    {
        // libc is a perfectly loadable library without OrtGetApiBase.
        var candidates = new[] { new OrtLibraryResolver.Candidate("test", OperatingSystem.IsWindows() ? "kernel32.dll" : OperatingSystem.IsMacOS() ? "libSystem.dylib" : "libc.so.6", IsBareName: true) };

        var error = Assert.Throws<OnnxRuntimeNotFoundException>(() => OrtLibraryResolver.Load(candidates));

        Assert.Contains("OrtGetApiBase", Assert.Single(error.PlacesTried), StringComparison.Ordinal);
    }

    [Fact]
    public void A_library_too_old_for_the_API_version_is_refused_naming_both_versions()
    {
        var library = OrtRuntime.Load(explicitPath: null);

        // No release offers API version 999, so the real library plays the part of a too-old one.
        var error = Assert.Throws<OnnxRuntimeNotFoundException>(() =>
            OrtLibraryResolver.Load([new OrtLibraryResolver.Candidate("test", library.LibraryPath, IsBareName: false)], apiVersion: 999));

        var place = Assert.Single(error.PlacesTried);
        Assert.Contains(library.LibraryPath, place, StringComparison.Ordinal);
        Assert.Contains($"ONNX Runtime {library.Version}", place, StringComparison.Ordinal);
        Assert.Contains("API version 999", place, StringComparison.Ordinal);
        Assert.Contains("1.999 or newer", place, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_path_wins_over_the_environment_variable_which_wins_over_the_search()
    {
        var application = _directory.Path;

        var explicitOnly = OrtLibraryResolver.Candidates("explicit.so", "from-environment.so", application);
        var environmentOnly = OrtLibraryResolver.Candidates(null, "from-environment.so", application);

        Assert.Equal(Path.GetFullPath("explicit.so"), Assert.Single(explicitOnly).Target);
        Assert.Equal(OrtLibraryResolver.EnvironmentVariable, Assert.Single(environmentOnly).Place);
        Assert.Equal(Path.GetFullPath("from-environment.so"), environmentOnly[0].Target);
    }

    [Fact]
    public void The_search_looks_in_runtimes_rid_native_then_the_application_folder_then_the_system()
    {
        var application = _directory.Path;

        var candidates = OrtLibraryResolver.Candidates(null, null, application);

        var names = OrtLibraryResolver.LibraryFileNames();
        int firstFlat = candidates.ToList().FindIndex(c => !c.IsBareName && Path.GetDirectoryName(c.Target) == application);
        int firstSystem = candidates.ToList().FindIndex(c => c.IsBareName);
        Assert.True(firstFlat > 0, "Expected runtimes/<rid>/native/ candidates before the application folder.");
        Assert.All(candidates.Take(firstFlat), c => Assert.StartsWith(Path.Combine(application, "runtimes"), c.Target, StringComparison.Ordinal));
        Assert.Contains(candidates.Take(firstFlat), c => c.Target.Contains($"{Path.DirectorySeparatorChar}native{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        Assert.True(firstSystem > firstFlat, "Expected the system search last.");
        Assert.Equal(names, candidates.Skip(firstSystem).Select(c => c.Target));
    }

    [Fact]
    public void When_nothing_is_found_the_error_lists_every_place_tried()
    {
        // The system search is left out: in this process the library is already loaded, so the loader would find it by name.
        var candidates = OrtLibraryResolver.Candidates(null, null, _directory.Path).Where(c => !c.IsBareName).ToArray();

        var error = Assert.Throws<OnnxRuntimeNotFoundException>(() => OrtLibraryResolver.Load(candidates));

        Assert.Equal(candidates.Length, error.PlacesTried.Count);
        foreach (var candidate in candidates)
            Assert.Contains(candidate.Target, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_given_as_the_library_path_means_the_library_inside_it()
    {
        var library = OrtRuntime.Load(explicitPath: null).LibraryPath;
        var folder = Path.GetDirectoryName(library)!;

        var candidate = Assert.Single(OrtLibraryResolver.Candidates(folder, null, _directory.Path));
        var runtime = OrtLibraryResolver.Load([candidate]);

        Assert.Equal(library, candidate.Target);
        Assert.Equal(OrtRuntime.Load(explicitPath: null).Version, runtime.Version);
    }

    [Fact]
    public void The_environment_variable_path_loads_that_library()
    {
        var library = OrtRuntime.Load(explicitPath: null).LibraryPath;

        var runtime = OrtLibraryResolver.Load(OrtLibraryResolver.Candidates(null, library, _directory.Path));

        Assert.Equal(library, runtime.LibraryPath);
    }

    private string WriteAnyModel()
    {
        var path = _directory.File("model.onnx");
        File.WriteAllBytes(path, [0x08, 0x08]);
        return path;
    }
}
