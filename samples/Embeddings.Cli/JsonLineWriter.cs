using System.Globalization;

namespace Embeddings.Cli;

/// <summary>
/// Writes one JSON object per line. Strings are written with every non-ASCII UTF-16 unit escaped as
/// <c>\uXXXX</c>, so any token (including unusual characters) round-trips exactly through any JSON parser.
/// </summary>
internal sealed class JsonLineWriter(TextWriter output)
{
    private bool _needsComma;
    private int _itemsInArray;

    public void BeginObject()
    {
        output.Write('{');
        _needsComma = false;
    }

    public void EndObject()
    {
        output.Write('}');
        output.Write('\n');
    }

    public void IntArray(string name, ReadOnlySpan<int> values)
    {
        Name(name);
        output.Write('[');
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0) output.Write(',');
            output.Write(values[i].ToString(CultureInfo.InvariantCulture));
        }
        output.Write(']');
    }

    public void StringArray(string name, IReadOnlyList<string> values)
    {
        Name(name);
        output.Write('[');
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0) output.Write(',');
            String(values[i]);
        }
        output.Write(']');
    }

    public void PairArray(string name, IReadOnlyList<(int First, int Second)> values)
    {
        Name(name);
        output.Write('[');
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0) output.Write(',');
            output.Write('[');
            output.Write(values[i].First.ToString(CultureInfo.InvariantCulture));
            output.Write(',');
            output.Write(values[i].Second.ToString(CultureInfo.InvariantCulture));
            output.Write(']');
        }
        output.Write(']');
    }

    public void FloatArray(string name, ReadOnlySpan<float> values)
    {
        Name(name);
        Floats(values);
    }

    /// <summary>An array of float arrays, one per row of a row-major [rows × width] matrix.</summary>
    public void FloatMatrix(string name, ReadOnlySpan<float> values, int width)
    {
        Name(name);
        output.Write('[');
        for (var row = 0; width > 0 && row < values.Length / width; row++)
        {
            if (row > 0) output.Write(',');
            Floats(values.Slice(row * width, width));
        }
        output.Write(']');
    }

    /// <summary>Bytes as numbers: two's-complement signed (-128..127) or unsigned (0..255).</summary>
    public void ByteArray(string name, ReadOnlySpan<byte> values, bool signed)
    {
        Name(name);
        output.Write('[');
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0) output.Write(',');
            output.Write(signed ? ((sbyte)values[i]).ToString(CultureInfo.InvariantCulture) : values[i].ToString(CultureInfo.InvariantCulture));
        }
        output.Write(']');
    }

    public void Int(string name, int value)
    {
        Name(name);
        output.Write(value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>One number (shortest round-trip text; null when not finite).</summary>
    public void Float(string name, float value)
    {
        Name(name);
        output.Write(float.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "null");
    }

    public void StringValue(string name, string value)
    {
        Name(name);
        String(value);
    }

    /// <summary>Starts an array of objects; write each with <see cref="BeginItem"/> … <see cref="EndItem"/>.</summary>
    public void BeginObjectArray(string name)
    {
        Name(name);
        output.Write('[');
        _itemsInArray = 0;
    }

    public void BeginItem()
    {
        if (_itemsInArray++ > 0) output.Write(',');
        output.Write('{');
        _needsComma = false;
    }

    public void EndItem()
    {
        output.Write('}');
        _needsComma = true;
    }

    public void EndObjectArray()
    {
        output.Write(']');
        _needsComma = true;
    }

    // Shortest round-trip text; JSON has no NaN or infinity, so those become null.
    private void Floats(ReadOnlySpan<float> values)
    {
        output.Write('[');
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0) output.Write(',');
            output.Write(float.IsFinite(values[i]) ? values[i].ToString("R", CultureInfo.InvariantCulture) : "null");
        }
        output.Write(']');
    }

    private void Name(string name)
    {
        if (_needsComma) output.Write(',');
        _needsComma = true;
        String(name);
        output.Write(':');
    }

    private void String(string value)
    {
        output.Write('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': output.Write("\\\""); break;
                case '\\': output.Write("\\\\"); break;
                case '\n': output.Write("\\n"); break;
                case '\r': output.Write("\\r"); break;
                case '\t': output.Write("\\t"); break;
                default:
                    if (c is < ' ' or > '~')
                    {
                        output.Write("\\u");
                        output.Write(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else output.Write(c);
                    break;
            }
        }
        output.Write('"');
    }
}
