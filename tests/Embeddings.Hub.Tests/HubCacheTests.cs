using Embeddings.Hub.Tests.Fakes;
using Embeddings.Hub;

namespace Embeddings.Hub.Tests;

/// <summary>Reading a cache laid out by hand exactly as huggingface_hub writes it.</summary>
public sealed class HubCacheTests : IDisposable
{
    private const string RepoId = "BAAI/bge-small-en-v1.5";
    private const string Commit = "5c38ec7c405ec4b44b94cc5a9bb96e735b38267a";
    private const string BlobName = "d7edf6bd2a681fb0175f7735299831ee1b22b812";

    private readonly TemporaryFolder _folder = new();
    private readonly HubCache _cache;
    private readonly string _repoFolder;

    public HubCacheTests()
    {
        _cache = new HubCache(_folder.Path);
        _repoFolder = Path.Combine(_folder.Path, "models--BAAI--bge-small-en-v1.5");
        Directory.CreateDirectory(Path.Combine(_repoFolder, "blobs"));
        Directory.CreateDirectory(Path.Combine(_repoFolder, "refs"));
        Directory.CreateDirectory(Path.Combine(_repoFolder, "snapshots", Commit, "1_Pooling"));
        Directory.CreateDirectory(Path.Combine(_repoFolder, ".no_exist", Commit));
        File.WriteAllText(Path.Combine(_repoFolder, "blobs", BlobName), "{\"hidden_size\": 384}");
        // Python writes the hash without a trailing newline.
        File.WriteAllText(Path.Combine(_repoFolder, "refs", "main"), Commit);
        File.CreateSymbolicLink(Path.Combine(_repoFolder, "snapshots", Commit, "config.json"), $"../../blobs/{BlobName}");
        File.CreateSymbolicLink(Path.Combine(_repoFolder, "snapshots", Commit, "1_Pooling", "config.json"), "../../../blobs/missing-blob");
        File.WriteAllText(Path.Combine(_repoFolder, ".no_exist", Commit, "model.safetensors"), "");
    }

    [Fact]
    public void The_repository_folder_follows_the_models_namespace_name_convention()
    {
        Assert.Equal(_repoFolder, _cache.GetRepositoryFolder(RepoId));
        Assert.Equal(Path.Combine(_folder.Path, "models--gpt2"), _cache.GetRepositoryFolder("gpt2"));
    }

    [Fact]
    public void A_branch_resolves_through_its_ref_file_and_a_commit_hash_resolves_to_itself()
    {
        Assert.Equal(Commit, _cache.ResolveCommit(RepoId));
        Assert.Equal(Commit, _cache.ResolveCommit(RepoId, Commit));
        Assert.Null(_cache.ResolveCommit(RepoId, "v2"));
        Assert.Null(_cache.ResolveCommit("org/not-cached"));
    }

    [Fact]
    public void A_ref_file_that_does_not_hold_a_commit_hash_is_ignored()
    {
        File.WriteAllText(Path.Combine(_repoFolder, "refs", "main"), "../../../../somewhere");

        Assert.Null(_cache.ResolveCommit(RepoId));
        Assert.Null(_cache.TryGetCachedFile(RepoId, "config.json"));
    }

    [Fact]
    public void A_ref_file_with_a_trailing_newline_is_accepted()
    {
        File.WriteAllText(Path.Combine(_repoFolder, "refs", "main"), Commit + "\n");

        Assert.Equal(Commit, _cache.ResolveCommit(RepoId));
    }

    [Fact]
    public void A_cached_file_is_found_by_branch_and_by_commit()
    {
        var expected = Path.Combine(_repoFolder, "snapshots", Commit, "config.json");

        Assert.Equal(expected, _cache.TryGetCachedFile(RepoId, "config.json"));
        Assert.Equal(expected, _cache.TryGetCachedFile(RepoId, "config.json", Commit));
        Assert.Equal("{\"hidden_size\": 384}", File.ReadAllText(expected));
    }

    [Fact]
    public void A_link_to_a_deleted_blob_is_not_a_cached_file()
    {
        Assert.True(File.Exists(Path.Combine(_repoFolder, "snapshots", Commit, "1_Pooling", "config.json")));

        Assert.Null(_cache.TryGetCachedFile(RepoId, "1_Pooling/config.json"));
    }

    [Fact]
    public void Files_not_in_the_snapshot_or_revisions_never_resolved_are_not_cached()
    {
        Assert.Null(_cache.TryGetCachedFile(RepoId, "tokenizer.json"));
        Assert.Null(_cache.TryGetCachedFile(RepoId, "config.json", "v2"));
        Assert.Null(_cache.TryGetCachedFile(RepoId, "config.json", new string('0', 40)));
    }

    [Fact]
    public void A_no_exist_marker_means_known_missing()
    {
        Assert.True(_cache.IsKnownMissing(RepoId, "model.safetensors"));
        Assert.True(_cache.IsKnownMissing(RepoId, "model.safetensors", Commit));
        Assert.False(_cache.IsKnownMissing(RepoId, "config.json"));
        Assert.False(_cache.IsKnownMissing(RepoId, "model.safetensors", "v2"));
    }

    [Fact]
    public void The_snapshot_folder_is_found_only_for_resolved_revisions()
    {
        Assert.Equal(Path.Combine(_repoFolder, "snapshots", Commit), _cache.TryGetSnapshotFolder(RepoId));
        Assert.Null(_cache.TryGetSnapshotFolder(RepoId, "v2"));
        Assert.Null(_cache.TryGetSnapshotFolder("org/not-cached"));
    }

    [Fact]
    public void Lookups_validate_their_names()
    {
        Assert.Throws<ArgumentException>(() => _cache.TryGetCachedFile(RepoId, "../../refs/main"));
        Assert.Throws<ArgumentException>(() => _cache.TryGetCachedFile("../x", "config.json"));
        Assert.Throws<ArgumentException>(() => _cache.ResolveCommit(RepoId, "../../x"));
        Assert.Throws<ArgumentException>(() => _cache.IsKnownMissing(RepoId, "/etc/passwd"));
    }

    public void Dispose() => _folder.Dispose();
}
