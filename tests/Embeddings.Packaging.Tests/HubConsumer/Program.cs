// A consumer of the Hub client package alone: it asks for a repository snapshot with offline mode on and an empty
// cache, so no network is touched, and prints the typed error the README promises.
// Usage: HubConsumer <empty cache folder>. Prints one JSON object: the exception type, the repository id it names,
// and whether the package brought any other Embeddings assembly into the application.
using System.Text.Json;
using Embeddings.Hub;

using var client = new HubClient(new HubOptions { CacheDirectory = args[0], Offline = true });
string? error = null, repoId = null;
try
{
    await client.DownloadModelAsync("sentence-transformers/all-MiniLM-L6-v2", ["*.json", "onnx/model.onnx"]);
}
catch (HubOfflineException e)
{
    error = e.GetType().FullName;
    repoId = e.RepoId;
}

var others = Directory.GetFiles(AppContext.BaseDirectory, "Embeddings.*.dll")
    .Select(Path.GetFileName).Where(name => name != "Embeddings.Hub.dll").ToArray();
Console.WriteLine(JsonSerializer.Serialize(new { error, repoId, others }));
