namespace Embeddings.Hub;

/// <summary>
/// Puts a blob into a snapshot folder: as a relative symbolic link (<c>../../blobs/{etag}</c>), so the
/// cache survives being moved and the same content is stored once across commits; or, where links are
/// off or refused (Windows without Developer Mode), as the file itself, moved when the blob was just
/// downloaded and copied otherwise (another snapshot may still use it), as huggingface_hub does.
/// </summary>
internal static class SnapshotLinker
{
    /// <summary>Creates or replaces <paramref name="pointerPath"/> so that it reads as <paramref name="blobPath"/>.</summary>
    public static void Link(string blobPath, string pointerPath, bool useSymlinks, bool blobIsNew)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(pointerPath)!);
        // Everything is built under a temporary name and renamed over the pointer, so readers see the old
        // entry or the new one, never a missing or half-copied file.
        var temporary = $"{pointerPath}.{Guid.NewGuid():N}.tmp";
        try
        {
            if (useSymlinks && TryCreateRelativeLink(temporary, blobPath))
            {
                File.Move(temporary, pointerPath, overwrite: true);
                return;
            }
            if (blobIsNew)
            {
                File.Move(blobPath, pointerPath, overwrite: true);
                return;
            }
            File.Copy(blobPath, temporary);
            File.Move(temporary, pointerPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static bool TryCreateRelativeLink(string linkPath, string blobPath)
    {
        var target = Path.GetRelativePath(Path.GetDirectoryName(linkPath)!, blobPath);
        try
        {
            File.CreateSymbolicLink(linkPath, target);
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or PlatformNotSupportedException)
        {
            // The file system or the account cannot make links; a real file works everywhere.
            File.Delete(linkPath);
            return false;
        }
    }
}
