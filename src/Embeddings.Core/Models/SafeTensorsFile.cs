using System.Buffers.Binary;
using System.Text.Json;

namespace Embeddings.Models;

/// <summary>
/// Reads float tensors from a <c>.safetensors</c> file: an 8-byte little-endian header length, a JSON
/// header mapping names to dtype, shape and byte offsets, then the raw little-endian data.
/// Only what Dense modules need: F32, F16, BF16 and F64, converted to float32.
/// </summary>
internal sealed class SafeTensorsFile
{
    private const long MaxHeaderBytes = 100 * 1024 * 1024;
    private readonly string _path;
    private readonly Dictionary<string, (string DType, long[] Shape, long Begin, long End)> _entries;
    private readonly long _dataStart;

    private SafeTensorsFile(string path, Dictionary<string, (string, long[], long, long)> entries, long dataStart)
    {
        _path = path;
        _entries = entries;
        _dataStart = dataStart;
    }

    /// <summary>Opens the file and reads its header.</summary>
    public static SafeTensorsFile Open(string path)
    {
        if (RegularFile.NotRegularReason(path) is { } notRegular)
            throw new ModelConfigurationException($"is {notRegular}, not a regular file.", path);
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> lengthBytes = stackalloc byte[8];
            stream.ReadExactly(lengthBytes);
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
            if (headerLength == 0 || headerLength > MaxHeaderBytes || (long)headerLength > stream.Length - 8)
                throw new ModelConfigurationException($"the safetensors header length ({headerLength}) does not fit the file.", path);
            var header = new byte[headerLength];
            stream.ReadExactly(header);
            using var document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ModelConfigurationException("the safetensors header is not a JSON object.", path);
            var entries = new Dictionary<string, (string, long[], long, long)>(StringComparer.Ordinal);
            long dataLength = stream.Length - 8 - (long)headerLength;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__") continue;
                var value = property.Value;
                string dtype = value.GetProperty("dtype").GetString() ?? "";
                long[] shape = value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                var offsets = value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
                    throw new ModelConfigurationException($"tensor '{property.Name}' has data offsets outside the file.", path);
                entries[property.Name] = (dtype, shape, offsets[0], offsets[1]);
            }
            return new SafeTensorsFile(path, entries, 8 + (long)headerLength);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or EndOfStreamException)
        {
            throw new ModelConfigurationException($"not a valid safetensors file ({e.Message}).", path, e);
        }
        catch (IOException e)
        {
            throw new ModelConfigurationException($"cannot be read ({e.Message}).", path, e);
        }
    }

    /// <summary>True when the file holds a tensor named <paramref name="name"/>.</summary>
    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>The dimensions of the tensor named <paramref name="name"/>.</summary>
    public long[] Shape(string name) => _entries.TryGetValue(name, out var entry)
        ? (long[])entry.Shape.Clone()
        : throw new ModelConfigurationException($"has no tensor named '{name}'.", _path);

    /// <summary>Reads a one-dimensional integer tensor (I64, I32, I16, U16, U8…) as int64.</summary>
    public long[] ReadIntegers(string name)
    {
        if (!_entries.TryGetValue(name, out var entry))
            throw new ModelConfigurationException($"has no tensor named '{name}'.", _path);
        int width = entry.DType switch
        {
            "I64" or "U64" => 8,
            "I32" or "U32" => 4,
            "I16" or "U16" => 2,
            "I8" or "U8" => 1,
            _ => throw new ModelConfigurationException($"tensor '{name}' has dtype {entry.DType}; an integer type was expected.", _path),
        };
        long count = entry.Shape.Aggregate(1L, (a, b) => a * b);
        if (entry.End - entry.Begin != count * width || count > Array.MaxLength)
            throw new ModelConfigurationException($"tensor '{name}' holds {entry.End - entry.Begin} bytes; {count} {entry.DType} values need {count * width}.", _path);
        var bytes = new byte[entry.End - entry.Begin];
        using (var stream = File.OpenRead(_path))
        {
            stream.Position = _dataStart + entry.Begin;
            stream.ReadExactly(bytes);
        }
        var result = new long[count];
        for (int i = 0; i < result.Length; i++)
        {
            var at = bytes.AsSpan(i * width);
            result[i] = entry.DType switch
            {
                "I64" => BinaryPrimitives.ReadInt64LittleEndian(at),
                "U64" => (long)BinaryPrimitives.ReadUInt64LittleEndian(at),
                "I32" => BinaryPrimitives.ReadInt32LittleEndian(at),
                "U32" => BinaryPrimitives.ReadUInt32LittleEndian(at),
                "I16" => BinaryPrimitives.ReadInt16LittleEndian(at),
                "U16" => BinaryPrimitives.ReadUInt16LittleEndian(at),
                "I8" => (sbyte)at[0],
                _ => at[0],
            };
        }
        return result;
    }

    /// <summary>Reads a tensor as float32, checking its shape.</summary>
    public float[] ReadFloats(string name, params long[] expectedShape)
    {
        if (!_entries.TryGetValue(name, out var entry))
            throw new ModelConfigurationException($"has no tensor named '{name}'.", _path);
        if (!entry.Shape.SequenceEqual(expectedShape))
            throw new ModelConfigurationException(
                $"tensor '{name}' has shape [{string.Join(", ", entry.Shape)}]; expected [{string.Join(", ", expectedShape)}].", _path);
        long count = expectedShape.Aggregate(1L, (a, b) => a * b);
        int width = entry.DType switch
        {
            "F32" => 4,
            "F16" or "BF16" => 2,
            "F64" => 8,
            _ => throw new ModelConfigurationException($"tensor '{name}' has dtype {entry.DType}; only F32, F16, BF16 and F64 are supported.", _path),
        };
        if (entry.End - entry.Begin != count * width)
            throw new ModelConfigurationException($"tensor '{name}' holds {entry.End - entry.Begin} bytes; {count} {entry.DType} values need {count * width}.", _path);
        var bytes = new byte[entry.End - entry.Begin];
        using (var stream = File.OpenRead(_path))
        {
            stream.Position = _dataStart + entry.Begin;
            stream.ReadExactly(bytes);
        }
        var result = new float[count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = entry.DType switch
            {
                "F32" => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4)),
                "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(i * 2)),
                "BF16" => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i * 2)) << 16),
                _ => (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(i * 8)),
            };
        }
        return result;
    }
}
