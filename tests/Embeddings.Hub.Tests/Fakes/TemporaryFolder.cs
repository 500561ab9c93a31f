namespace Embeddings.Hub.Tests.Fakes;

/// <summary>A fresh folder under the system's temporary path, deleted (links and all) on dispose.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder()
    {
        Path = Directory.CreateTempSubdirectory("embeddings-hub-tests-").FullName;
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A test that failed mid-download may still hold a file for a moment; the OS cleans temp later.
        }
    }
}
