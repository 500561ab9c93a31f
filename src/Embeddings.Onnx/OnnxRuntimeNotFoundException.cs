namespace Embeddings.Onnx;

/// <summary>
/// No usable ONNX Runtime native library was found: the application references only Embeddings.Onnx.Managed
/// (not Embeddings.Onnx or Embeddings.Onnx.Gpu), or runs on a platform the native package has no build for.
/// The message says what the loader reported and how to provide the library.
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
