namespace Embeddings.Reliability.Tests.Support;

/// <summary>
/// Tests that measure the process (memory, handles) or load every core (thousands of concurrent calls) run alone,
/// after the parallel ones, so neither disturbs the other.
/// </summary>
[CollectionDefinition(nameof(SequentialCollection), DisableParallelization = true)]
public sealed class SequentialCollection;
