namespace Embeddings.Onnx;

/// <summary>
/// No usable ONNX Runtime native library was found. The message lists every place looked at, why each
/// failed, and how to provide the library.
/// </summary>
public sealed class OnnxRuntimeNotFoundException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The full explanation.</param>
    /// <param name="placesTried">Each place looked at, with the reason it did not work.</param>
    public OnnxRuntimeNotFoundException(string message, IReadOnlyList<string> placesTried)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(placesTried);
        PlacesTried = placesTried;
    }

    /// <summary>Each place looked at, in order, as "where: what happened".</summary>
    public IReadOnlyList<string> PlacesTried { get; }
}
