using System.Text;

namespace Embeddings.Cli;

/// <summary>The input (stdin or <c>--input FILE</c>) and buffered output streams of a command.</summary>
internal sealed class CommandIO : IDisposable
{
    private readonly string? _inputPath;

    private CommandIO(TextReader input, TextWriter output, string? inputPath)
    {
        Input = input;
        Output = output;
        _inputPath = inputPath;
    }

    public TextReader Input { get; private set; }
    public TextWriter Output { get; }

    public static CommandIO Open(string? inputPath)
    {
        TextReader input;
        if (inputPath is null) input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false), false, 1 << 16);
        else if (!File.Exists(inputPath)) throw new CliException($"input file not found: {inputPath}");
        else input = OpenFile(inputPath);
        var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
        return new CommandIO(input, output, inputPath);
    }

    /// <summary>
    /// The number of non-blank input lines (the records a command will read), for a progress total. A file is
    /// counted in a first pass and read again; stdin cannot be read twice, so it is held in memory.
    /// </summary>
    public int CountRecords()
    {
        if (_inputPath is null)
        {
            string all = Input.ReadToEnd();
            Input.Dispose();
            Input = new StringReader(all);
            return Count(new StringReader(all));
        }
        using (var counting = OpenFile(_inputPath)) return Count(counting);
    }

    public void Dispose()
    {
        Output.Flush();
        Output.Dispose();
        Input.Dispose();
    }

    private static StreamReader OpenFile(string path) =>
        new(path, new UTF8Encoding(false), false, new FileStreamOptions { BufferSize = 1 << 16 });

    private static int Count(TextReader reader)
    {
        int count = 0;
        while (reader.ReadLine() is { } line)
            if (!string.IsNullOrWhiteSpace(line)) count++;
        return count;
    }
}
