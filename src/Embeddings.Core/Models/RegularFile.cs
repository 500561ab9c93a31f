using System.Runtime.InteropServices;

namespace Embeddings.Models;

/// <summary>
/// Guards for the files a model folder points at. A size cap read from the file's length does not hold for device
/// files and FIFOs (their length is 0): config.json pointing at /dev/zero would be read until memory runs out, and a
/// FIFO blocks the open itself until something writes to it. So the file's type is checked before it is opened, and
/// reads stop at the cap whatever the length said.
/// </summary>
internal static class RegularFile
{
    /// <summary>
    /// Why <paramref name="path"/> cannot be read as a model file ("a FIFO (named pipe)", "a character device", ...),
    /// or null for a regular file, a missing one (the open reports that), or where the type cannot be determined.
    /// </summary>
    public static string? NotRegularReason(string path)
    {
        if (OperatingSystem.IsWindows()) return null;
        int mode;
        try
        {
            mode = UnixMode(path);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null; // the capped read below still bounds the cost
        }
        if (mode < 0) return null;
        return (mode & FileTypeMask) switch
        {
            RegularType => null,
            DirectoryType => "a directory",
            FifoType => "a FIFO (named pipe)",
            CharacterDeviceType => "a character device",
            BlockDeviceType => "a block device",
            SocketType => "a socket",
            _ => "not a regular file",
        };
    }

    /// <summary>Reads the whole file, or returns null when it holds more than <paramref name="maxBytes"/> bytes.</summary>
    public static byte[]? ReadAllBytes(string path, long maxBytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var length = stream.CanSeek ? stream.Length : 0;
        if (length > maxBytes) return null;
        using var buffer = new MemoryStream(length > 0 ? (int)length : 4096);
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
    }

    // The type bits of st_mode as the runtime's own native shim reports them (the same values on every Unix).
    private const int FileTypeMask = 0xF000;
    private const int FifoType = 0x1000;
    private const int CharacterDeviceType = 0x2000;
    private const int DirectoryType = 0x4000;
    private const int BlockDeviceType = 0x6000;
    private const int RegularType = 0x8000;
    private const int SocketType = 0xC000;

    // stat(2) through the runtime's System.Native shim, which .NET ships on every Unix and whose file status starts
    // with two ints: flags, then the mode. The public API exposes permissions but not the file type.
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", CharSet = CharSet.Ansi)]
    private static extern int SystemNativeStat(string path, [Out] byte[] status);

    private static int UnixMode(string path)
    {
        var status = new byte[512];
        return SystemNativeStat(path, status) == 0 ? BitConverter.ToInt32(status, 4) : -1;
    }
}
