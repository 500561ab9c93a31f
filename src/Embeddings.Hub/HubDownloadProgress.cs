namespace Embeddings.Hub;

/// <summary>How far the download of one file has come.</summary>
/// <param name="RepoId">The repository the file belongs to.</param>
/// <param name="FileName">The file, as a path inside the repository.</param>
/// <param name="BytesDownloaded">Bytes on disk so far, including a resumed part from an earlier attempt.</param>
/// <param name="TotalBytes">The file's size as announced by the hub.</param>
public readonly record struct HubDownloadProgress(string RepoId, string FileName, long BytesDownloaded, long TotalBytes);
