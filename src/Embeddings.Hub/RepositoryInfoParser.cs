using System.Text.Json;

namespace Embeddings.Hub;

/// <summary>
/// Reads the model API's answer (<c>{"sha": "...", "siblings": [{"rfilename": "..."}], ...}</c>) with a depth
/// limit, keeping only the commit and the file names, each checked before anything can use it as a path.
/// </summary>
internal static class RepositoryInfoParser
{
    private const int MaxDepth = 64;

    /// <summary>Parses the API's JSON.</summary>
    /// <exception cref="HubResponseException">Not JSON, too deep, no valid <c>sha</c>, no <c>siblings</c> array, or a file name that is not a safe relative path.</exception>
    public static HubRepositoryInfo Parse(ReadOnlyMemory<byte> json, string repoId, string revision)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            throw Invalid(repoId, revision, $"it is not valid JSON (or nests deeper than {MaxDepth}): {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Invalid(repoId, revision, "the top level is not an object.");

            if (!root.TryGetProperty("sha", out var sha) || sha.ValueKind != JsonValueKind.String ||
                !HubNames.IsValidServerCommit(sha.GetString()))
                throw Invalid(repoId, revision, "'sha' is missing or is not a commit hash.");

            if (!root.TryGetProperty("siblings", out var siblings) || siblings.ValueKind != JsonValueKind.Array)
                throw Invalid(repoId, revision, "'siblings' is missing or is not an array.");

            var files = new List<string>(siblings.GetArrayLength());
            var index = 0;
            foreach (var sibling in siblings.EnumerateArray())
            {
                if (sibling.ValueKind != JsonValueKind.Object || !sibling.TryGetProperty("rfilename", out var name) ||
                    name.ValueKind != JsonValueKind.String)
                    throw Invalid(repoId, revision, $"siblings[{index}] has no string 'rfilename'.");
                var fileName = name.GetString()!;
                if (HubNames.TryGetFileNameProblem(fileName, out var problem))
                    throw Invalid(repoId, revision, $"siblings[{index}].rfilename '{fileName}' is not a safe file name: {problem}");
                files.Add(fileName);
                index++;
            }
            return new HubRepositoryInfo(repoId, revision, sha.GetString()!, files);
        }
    }

    private static HubResponseException Invalid(string repoId, string revision, string problem, Exception? inner = null) =>
        new($"The hub's model API answer for '{repoId}' at revision '{revision}' is not usable: {problem}", repoId, innerException: inner);
}
