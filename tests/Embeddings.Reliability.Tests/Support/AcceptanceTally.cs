namespace Embeddings.Reliability.Tests.Support;

/// <summary>
/// Counts how many generated cases a fuzz property accepted (loaded, opened, embedded) and how many it refused with a
/// documented exception. A property that only checks "accepted or refused cleanly" also passes when every case is
/// refused, so each fuzz test also requires a minimum share of accepted cases: a regression that refuses everything
/// (or a generator that stops producing valid input) fails instead of passing silently.
/// </summary>
internal sealed class AcceptanceTally
{
    public int Accepted { get; private set; }

    public int Refused { get; private set; }

    public void Accept() => Accepted++;

    public void Refuse() => Refused++;

    /// <summary>Fails unless at least <paramref name="minimum"/> cases were accepted (for runs too small for a share).</summary>
    public void RequireAccepted(int minimum, string what) =>
        Assert.True(Accepted >= minimum,
            $"{what}: {Accepted} of {Accepted + Refused} cases accepted; at least {minimum} expected, so nearly everything is being refused.");

    /// <summary>
    /// Fails unless at least <paramref name="minimumShare"/> of the cases were accepted. The shares the tests ask for
    /// are about half of what the default seed yields, so another seed (EMBEDDINGS_FUZZ_SEED) does not trip them.
    /// </summary>
    public void RequireAcceptedShare(double minimumShare, string what)
    {
        int total = Accepted + Refused;
        Assert.True(total > 0, $"{what}: no case ran.");
        double share = (double)Accepted / total;
        Assert.True(share >= minimumShare,
            $"{what}: {Accepted} of {total} cases accepted ({share:P0}); at least {minimumShare:P0} expected, so nearly everything is being refused.");
    }
}
