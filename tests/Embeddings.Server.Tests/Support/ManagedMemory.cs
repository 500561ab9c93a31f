using System.Runtime;

namespace Embeddings.Server.Tests.Support;

/// <summary>Live managed bytes after full, blocking, compacting collections with finalizers run.</summary>
internal static class ManagedMemory
{
    public static long Measure()
    {
        for (int i = 0; i < 3; i++)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
