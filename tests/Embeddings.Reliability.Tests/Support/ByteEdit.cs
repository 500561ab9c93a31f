using FsCheck;
using FsCheck.Fluent;

namespace Embeddings.Reliability.Tests.Support;

/// <summary>What a <see cref="ByteEdit"/> does at its position.</summary>
internal enum ByteEditKind
{
    /// <summary>Flip one bit.</summary>
    FlipBit,
    /// <summary>Overwrite the byte.</summary>
    Overwrite,
    /// <summary>Insert a byte.</summary>
    Insert,
    /// <summary>Delete a run of bytes.</summary>
    Delete,
    /// <summary>Cut the file here.</summary>
    Truncate,
}

/// <summary>
/// One change to a file's bytes. The position counts from the start when positive and from the end when negative
/// (files keep their structure at both ends), and wraps around the file's length, so any number is valid.
/// </summary>
internal sealed record ByteEdit(int Position, ByteEditKind Kind, byte Value)
{
    /// <summary>Edits aimed at the first and last few kilobytes half the time, anywhere the other half.</summary>
    public static Gen<ByteEdit> Generator { get; } =
        from position in Gen.Frequency((1, Gen.Choose(0, 4096)), (1, Gen.Choose(-4096, -1)), (2, Gen.Choose(0, int.MaxValue)))
        from kind in Gen.Frequency(
            (4, Gen.Constant(ByteEditKind.FlipBit)), (4, Gen.Constant(ByteEditKind.Overwrite)), (2, Gen.Constant(ByteEditKind.Insert)),
            (2, Gen.Constant(ByteEditKind.Delete)), (1, Gen.Constant(ByteEditKind.Truncate)))
        from value in Gen.Frequency((3, Gen.Elements<byte>((byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)'"', (byte)',', (byte)':', (byte)'0', (byte)'-', 0x80, 0xC3, 0xFF, 0)),
            (2, Gen.Choose(0, 255).Select(b => (byte)b)))
        select new ByteEdit(position, kind, value);

    public byte[] ApplyTo(byte[] bytes)
    {
        if (bytes.Length == 0) return Kind == ByteEditKind.Insert ? [Value] : bytes;
        int at = Position >= 0 ? Position % bytes.Length : bytes.Length - 1 - (-(Position + 1) % bytes.Length);
        switch (Kind)
        {
            case ByteEditKind.FlipBit:
                var flipped = (byte[])bytes.Clone();
                flipped[at] ^= (byte)(1 << (Value % 8));
                return flipped;
            case ByteEditKind.Overwrite:
                var written = (byte[])bytes.Clone();
                written[at] = Value;
                return written;
            case ByteEditKind.Insert:
                return [.. bytes.AsSpan(0, at), Value, .. bytes.AsSpan(at)];
            case ByteEditKind.Delete:
                int count = Math.Min(1 + Value % 16, bytes.Length - at);
                return [.. bytes.AsSpan(0, at), .. bytes.AsSpan(at + count)];
            default:
                return bytes[..at];
        }
    }

    public override string ToString() => $"{Kind} at {Position} ({Value})";
}
