namespace Embeddings.Packaging.Tests;

/// <summary>The tests that read the packed packages share one pack.</summary>
[CollectionDefinition(nameof(PackagesCollection))]
public sealed class PackagesCollection : ICollectionFixture<PackedPackages>;
