using System.Runtime.InteropServices;
using System.Text;

namespace Embeddings.Onnx.Native;

/// <summary>UTF-8, NUL-terminated strings to and from the C API.</summary>
internal static unsafe class Utf8
{
    /// <summary>Encodes <paramref name="value"/> with a terminating NUL, ready to be pinned and passed as <c>const char*</c>.</summary>
    public static byte[] NullTerminated(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException("The string contains a NUL character, which a C string cannot hold.", nameof(value));
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }

    /// <summary>
    /// Like <see cref="NullTerminated"/>, but in the pinned object heap, so the pointer stays valid for the
    /// array's lifetime without a <c>fixed</c> block (for names passed on every run).
    /// </summary>
    public static byte[] PinnedNullTerminated(string value)
    {
        var bytes = NullTerminated(value);
        var pinned = GC.AllocateUninitializedArray<byte>(bytes.Length, pinned: true);
        bytes.CopyTo(pinned, 0);
        return pinned;
    }

    /// <summary>The address of the first element of an array from <see cref="PinnedNullTerminated"/>.</summary>
    public static byte* AddressOf(byte[] pinned) => (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(pinned, 0);

    /// <summary>Decodes a NUL-terminated UTF-8 string; null stays null.</summary>
    public static string? ToString(byte* value) => value is null ? null : Marshal.PtrToStringUTF8((nint)value);
}
