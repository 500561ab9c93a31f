using System.Globalization;

namespace Embeddings.Cli;

/// <summary>
/// Writes one JSON object per line. Strings are written with every non-ASCII UTF-16 unit escaped as
/// <c>\uXXXX</c>, so any token (including unusual characters) round-trips exactly through any JSON parser.
/// </summary>
internal sealed class JsonLineWriter(TextWriter output)
{
    private bool _needsComma;

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
