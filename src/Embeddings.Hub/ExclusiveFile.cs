namespace Embeddings.Hub;

/// <summary>
/// Opens a file for this process alone, waiting while another holder has it. <see cref="FileShare.None"/>
/// maps to <c>flock(LOCK_EX)</c> on Linux and macOS and to a sharing lock on Windows, which is what Python's
/// <c>filelock</c> (used by huggingface_hub) takes too, so .NET and Python processes exclude each other.
/// The kernel drops the lock when its holder dies, so a crashed downloader never leaves a stale lock.
/// </summary>
internal static class ExclusiveFile
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Opens (creating if needed) <paramref name="path"/> for reading and writing with no sharing, polling
    /// until the current holder lets go. Waits as long as it takes, like huggingface_hub; cancel to give up.
    /// </summary>
    /// <exception cref="OperationCanceledException">The token was cancelled while waiting.</exception>
    public static async Task<FileStream> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var pause = FirstPause;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
            }
            catch (IOException e) when (IsHeldByAnother(e))
            {
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }
        }
    }

    /// <summary>Takes the lock file at <paramref name="path"/> (creating its folder); dispose the result to release it.</summary>
    public static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return await OpenAsync(path, cancellationToken).ConfigureAwait(false);
    }

    // Only "somebody else holds it" is worth waiting for; any other I/O error is real and surfaces at once.
    private static bool IsHeldByAnother(IOException e)
    {
        const int windowsSharingViolation = unchecked((int)0x80070020);
        const int windowsLockViolation = unchecked((int)0x80070021);
        const int linuxWouldBlock = 11;
        const int bsdWouldBlock = 35;
        return e.GetType() == typeof(IOException) && e.HResult switch
        {
            windowsSharingViolation or windowsLockViolation => OperatingSystem.IsWindows(),
            linuxWouldBlock => OperatingSystem.IsLinux() || OperatingSystem.IsAndroid(),
            bsdWouldBlock => OperatingSystem.IsMacOS() || OperatingSystem.IsIOS() || OperatingSystem.IsFreeBSD(),
            _ => false,
        };
    }
}
