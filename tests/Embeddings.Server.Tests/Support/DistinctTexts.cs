namespace Embeddings.Server.Tests.Support;

/// <summary>
/// Texts no two requests share: words picked from the request's numbers plus the numbers themselves, so every
/// answer can be matched to the one request it belongs to, and a vector from another request differs by far more
/// than the batch-rounding tolerance.
/// </summary>
internal static class DistinctTexts
{
    private static readonly string[] Words =
    [
        "river", "market", "engine", "garden", "letter", "winter", "silver", "doctor", "island", "pocket", "planet", "castle",
        "bridge", "forest", "button", "candle", "dragon", "farmer", "harbor", "jacket", "kitten", "ladder", "mirror", "needle",
        "orange", "pencil", "rabbit", "saddle", "tunnel", "violin", "wallet", "yellow",
    ];

    /// <summary>Text <paramref name="item"/> of request <paramref name="request"/> of client <paramref name="client"/>.</summary>
    public static string For(int client, int request, int item)
    {
        // A fixed integer mix (not HashCode, which changes from run to run), so a failing text reappears on the next run.
        uint mix = unchecked((uint)client * 0x9E3779B1u ^ (uint)request * 0x85EBCA77u ^ (uint)item * 0xC2B2AE3Du);
        mix ^= mix >> 15;
        mix = unchecked(mix * 0x2C1B3C6Du);
        mix ^= mix >> 12;
        string Word(int shift) => Words[(mix >> shift) % (uint)Words.Length];
        return $"{Word(0)} {Word(5)} {Word(10)} {Word(15)} from client {client} request {request} item {item}";
    }

    /// <summary>The texts of one request.</summary>
    public static string[] ForRequest(int client, int request, int count) =>
        Enumerable.Range(0, count).Select(item => For(client, request, item)).ToArray();
}
