namespace Embeddings.Reliability.Tests.Support;

/// <summary>A fresh folder under the system's temporary folder, deleted on dispose.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "embeddings-reliability-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>The full path of <paramref name="relative"/> inside the folder, with its parent folders created.</summary>
    public string File(string relative)
    {
        string full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        return full;
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="relative"/> and returns its full path.</summary>
    public string Write(string relative, string content)
    {
        string full = File(relative);
        System.IO.File.WriteAllText(full, content);
        return full;
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="relative"/> and returns its full path.</summary>
    public string Write(string relative, byte[] content)
    {
        string full = File(relative);
        System.IO.File.WriteAllBytes(full, content);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless; failing a test over it is not.
        }
    }
}
