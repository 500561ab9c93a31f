using System.Diagnostics;
using System.Runtime;

namespace Embeddings.Reliability.Tests.Support;

/// <summary>
/// What the process holds, measured after full blocking garbage collections: live managed bytes, resident memory
/// (the native heap, ONNX Runtime's arena and the GC heap together), open handles (file descriptors on Linux)
/// and threads. Shared by the resource tests and the soak benchmark.
/// </summary>
internal readonly record struct ProcessResources(long ManagedBytes, long ResidentBytes, long GcCommittedBytes, int Handles, int Threads)
{
    /// <summary>Collects garbage (running finalizers, so SafeHandles nobody disposed are released too) and measures.</summary>
    public static ProcessResources Measure()
    {
        for (int i = 0; i < 3; i++)
        {
            // Aggressive also returns the GC's free regions to the system, so resident memory is not what the GC
            // happened to keep committed from earlier work.
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        long managed = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return new ProcessResources(managed, ReadResidentBytes() ?? process.WorkingSet64, GC.GetGCMemoryInfo().TotalCommittedBytes,
            HandleCount(process), process.Threads.Count);
    }

    /// <summary>The growth from <paramref name="before"/> to this measurement.</summary>
    public ProcessResources Since(ProcessResources before) =>
        new(ManagedBytes - before.ManagedBytes, ResidentBytes - before.ResidentBytes, GcCommittedBytes - before.GcCommittedBytes,
            Handles - before.Handles, Threads - before.Threads);

    /// <summary>
    /// Resident memory outside the GC heap: native allocations (ONNX Runtime's sessions, arena and tensors, the
    /// runtime itself). The GC commits and releases its own memory in large steps, which this leaves out.
    /// </summary>
    public long NativeBytes => ResidentBytes - GcCommittedBytes;

    public override string ToString() =>
        $"managed {ManagedBytes / 1048576.0:F2} MB, resident {ResidentBytes / 1048576.0:F1} MB (native {NativeBytes / 1048576.0:F1} MB), {Handles} handles, {Threads} threads";

    // VmRSS from /proc/self/status (Linux); elsewhere the working set stands in for it.
    private static long? ReadResidentBytes()
    {
        const string statusFile = "/proc/self/status";
        if (!File.Exists(statusFile)) return null;
        foreach (var line in File.ReadLines(statusFile))
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
            var kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
            return long.Parse(kilobytes, System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        return null;
    }

    // Open file descriptors on Linux (every native handle ONNX Runtime or the library opens is one); the handle count elsewhere.
    private static int HandleCount(Process process)
    {
        const string descriptors = "/proc/self/fd";
        return Directory.Exists(descriptors) ? Directory.GetFileSystemEntries(descriptors).Length : process.HandleCount;
    }
}
