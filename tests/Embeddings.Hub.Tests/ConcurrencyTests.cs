using System.Diagnostics;
using Embeddings.Hub.Tests.Fakes;

namespace Embeddings.Hub.Tests;

public sealed class ConcurrencyTests
{
    private const string RepoId = "org/model";

    [Fact]
    public async Task Parallel_downloads_of_one_file_fetch_it_once_and_agree_on_the_path()
    {
        await using var context = new HubTestContext();
        var model = FakeFile.Binary(200_000, seed: 20);
        context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["onnx/model.onnx"] = model });
        // Slow enough that the downloads overlap: without the lock several would fetch the body.
        context.Hub.ChunkDelay = TimeSpan.FromMilliseconds(5);
        var clients = Enumerable.Range(0, 4).Select(_ => context.Client()).ToArray();

        var paths = await Task.WhenAll(clients.Select(c => Task.Run(() => c.DownloadFileAsync(RepoId, "onnx/model.onnx"))));

        Assert.Single(paths.Distinct());
        Assert.Equal(model.Content, await File.ReadAllBytesAsync(paths[0]));
        Assert.Equal(1, context.Hub.Count("GET", "/cdn/"));
        var blobs = Directory.GetFiles(Path.Combine(context.RepoFolder(RepoId), "blobs"));
        Assert.Equal([Path.Combine(context.RepoFolder(RepoId), "blobs", model.Sha256)], blobs);
    }

    [Fact]
    public async Task Parallel_downloads_of_different_files_all_complete()
    {
        await using var context = new HubTestContext();
        var files = Enumerable.Range(0, 6).ToDictionary(i => $"part-{i}.bin", i => FakeFile.Binary(30_000 + i, seed: 100 + i));
        context.Hub.AddRepo(RepoId).Commit(files);
        var client = context.Client();

        var paths = await Task.WhenAll(files.Keys.Select(name => Task.Run(() => client.DownloadFileAsync(RepoId, name))));

        foreach (var (name, path) in files.Keys.Zip(paths))
            Assert.Equal(files[name].Content, await File.ReadAllBytesAsync(path));
    }

    /// <summary>
    /// Another process (here flock(1), which takes the same flock(2) lock as Python's filelock) holds the
    /// blob's lock and stores the blob before letting go. The client must wait for it and then use that
    /// blob instead of downloading: any GET to the CDN means the lock was ignored.
    /// </summary>
    [FlockFact]
    public async Task A_lock_held_by_another_process_is_waited_for_and_its_result_used()
    {
        await using var context = new HubTestContext();
        var model = FakeFile.Binary(100_000, seed: 21);
        context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["model.onnx"] = model });
        using var scratch = new TemporaryFolder();
        var source = Path.Combine(scratch.Path, "finished-blob");
        await File.WriteAllBytesAsync(source, model.Content);
        var ready = Path.Combine(scratch.Path, "ready");
        var go = Path.Combine(scratch.Path, "go");
        var lockPath = Path.Combine(context.CacheDirectory, ".locks", "models--org--model", model.Sha256 + ".lock");
        var blob = Path.Combine(context.RepoFolder(RepoId), "blobs", model.Sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);

        using var holder = Process.Start(new ProcessStartInfo("flock")
        {
            ArgumentList = { "--exclusive", lockPath, "sh", "-c", "touch \"$1\"; while [ ! -e \"$2\" ]; do sleep 0.02; done; cp \"$3\" \"$4\"", "sh", ready, go, source, blob },
            UseShellExecute = false,
        })!;
        await WaitUntilAsync(() => File.Exists(ready), "flock to take the lock");

        var download = context.Client().DownloadFileAsync(RepoId, "model.onnx");
        await WaitUntilAsync(() => context.Hub.Count("HEAD", "/resolve/main/model.onnx") == 1, "the client to ask for the metadata");
        // Give a client that ignored the lock time to start its own download.
        await Task.Delay(300);
        Assert.False(download.IsCompleted);
        await File.WriteAllTextAsync(go, "");
        var path = await download.WaitAsync(TimeSpan.FromSeconds(30));
        await holder.WaitForExitAsync();

        Assert.Equal(0, holder.ExitCode);
        Assert.Equal(0, context.Hub.Count("GET", "/cdn/"));
        Assert.Equal(model.Content, await File.ReadAllBytesAsync(path));
        Assert.Equal($"../../blobs/{model.Sha256}", new FileInfo(path).LinkTarget);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Gave up waiting for {what}.");
            await Task.Delay(20);
        }
    }
}

/// <summary>A fact that needs Linux and the flock(1) tool (util-linux); skipped with a message elsewhere.</summary>
public sealed class FlockFactAttribute : FactAttribute
{
    public FlockFactAttribute()
    {
        var found = OperatingSystem.IsLinux() &&
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
                .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "flock")));
        if (!found) Skip = "Needs Linux with flock(1) on PATH to hold a lock from another process.";
    }
}
