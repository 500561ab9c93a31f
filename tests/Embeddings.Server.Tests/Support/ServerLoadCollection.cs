namespace Embeddings.Server.Tests.Support;

/// <summary>
/// The load tests run alone, after the others: they load both cores on purpose, and one of them measures the
/// process's memory, which other tests' servers would disturb.
/// </summary>
[CollectionDefinition(nameof(ServerLoadCollection), DisableParallelization = true)]
public sealed class ServerLoadCollection;
