using System.Runtime.InteropServices;

namespace Embeddings.Onnx.Runtime;

/// <summary>
/// Finds out why the CUDA execution provider cannot be enabled. ONNX Runtime reports only "failed to load
/// shared library"; the operating system's loader names the CUDA or cuDNN library that is missing.
/// </summary>
internal static class CudaProviderProbe
{
    private static string ProviderFileName => OperatingSystem.IsWindows() ? "onnxruntime_providers_cuda.dll" : "libonnxruntime_providers_cuda.so";

    /// <summary>What keeps the CUDA provider library from loading, in words; null when it loads.</summary>
    public static string? WhatIsMissing()
    {
        string? path = ProviderLibraryPath();
        if (path is null)
            return $"the CUDA provider library {ProviderFileName} is not in the application (reference Embeddings.Onnx.Gpu)";
        try
        {
            // Loading it again later is free: ONNX Runtime loads the same file, and libraries are never unloaded.
            NativeLibrary.Load(path);
            return null;
        }
        catch (DllNotFoundException e)
        {
            return $"{ProviderFileName} cannot be loaded: {e.Message.Trim()}";
        }
        catch (BadImageFormatException e)
        {
            return $"{ProviderFileName} is not a library for this machine: {e.Message.Trim()}";
        }
    }

    private static string? ProviderLibraryPath()
    {
        string baseDirectory = AppContext.BaseDirectory;
        string[] candidates =
        [
            Path.Combine(baseDirectory, ProviderFileName),
            Path.Combine(baseDirectory, "runtimes", PortableRid(), "native", ProviderFileName),
        ];
        return candidates.FirstOrDefault(File.Exists);
    }

    private static string PortableRid()
    {
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        string arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "x86",
            var other => other.ToString().ToLowerInvariant(),
        };
        return $"{os}-{arch}";
    }
}
