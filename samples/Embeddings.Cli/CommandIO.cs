using System.Text;

namespace Embeddings.Cli;

/// <summary>The input (stdin or <c>--input FILE</c>) and buffered output streams of a command.</summary>
internal sealed class CommandIO : IDisposable
{
    private CommandIO(TextReader input, TextWriter output)
    {
        Input = input;
        Output = output;
    }

    public TextReader Input { get; }
    public TextWriter Output { get; }

    public static CommandIO Open(string? inputPath)
    {
        TextReader input;
        if (inputPath is null) input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false), false, 1 << 16);
        else if (!File.Exists(inputPath)) throw new CliException($"input file not found: {inputPath}");
        else input = new StreamReader(inputPath, new UTF8Encoding(false), false, new FileStreamOptions { BufferSize = 1 << 16 });
        var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
        return new CommandIO(input, output);
    }

    public void Dispose()
    {
        Output.Flush();
        Output.Dispose();
        Input.Dispose();
    }
}
