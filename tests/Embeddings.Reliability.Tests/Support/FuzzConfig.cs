using FsCheck;
using Microsoft.FSharp.Core;

namespace Embeddings.Reliability.Tests.Support;

/// <summary>
/// FsCheck settings for the fuzz tests: a fixed seed, so a CI failure reproduces exactly, and modest case counts.
/// <c>EMBEDDINGS_FUZZ_SEED</c> picks another seed and <c>EMBEDDINGS_FUZZ_SCALE</c> multiplies the counts, for longer
/// runs by hand (docs/reliability.md).
/// </summary>
internal static class FuzzConfig
{
    private const ulong DefaultSeed = 20_261_122;

    public static ulong Seed =>
        ulong.TryParse(Environment.GetEnvironmentVariable("EMBEDDINGS_FUZZ_SEED"), out var seed) ? seed : DefaultSeed;

    public static int Scale =>
        int.TryParse(Environment.GetEnvironmentVariable("EMBEDDINGS_FUZZ_SCALE"), out var scale) && scale > 0 ? scale : 1;

    /// <summary>Throws with the counterexample (after shrinking) when the property fails.</summary>
    public static Config Cases(int count) =>
        Config.QuickThrowOnFailure
            .WithMaxTest(count * Scale)
            .WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(Seed), FSharpOption<int>.None)));
}
