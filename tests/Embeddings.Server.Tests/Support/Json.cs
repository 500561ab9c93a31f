using System.Text.Json;

namespace Embeddings.Server.Tests.Support;

/// <summary>Reads the server's JSON answers back into arrays.</summary>
internal static class Json
{
    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => e.GetSingle()).ToArray();

    public static float[][] FloatRows(JsonElement array) => array.EnumerateArray().Select(Floats).ToArray();

    public static JsonElement Required(JsonElement? body) => body ?? throw new Xunit.Sdk.XunitException("The answer has no body.");
}
