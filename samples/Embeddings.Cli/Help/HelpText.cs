using System.Reflection;

namespace Embeddings.Cli.Help;

/// <summary>The tool's help: the command list, each command's options and output, and the version.</summary>
internal static class HelpText
{
    private const string Tool = "Embeddings.Cli";

    /// <summary>Whether the arguments after the command ask for its help (<c>--help</c> or <c>-h</c> anywhere).</summary>
    public static bool Requested(ReadOnlySpan<string> args)
    {
        foreach (var arg in args)
            if (arg is "--help" or "-h") return true;
        return false;
    }

    /// <summary>The version the assembly was built as (its informational version).</summary>
    public static string Version =>
        typeof(HelpText).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(HelpText).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    public static void WriteOverview(TextWriter output, IReadOnlyList<CliCommand> commands)
    {
        output.WriteLine($"usage: {Tool} <command> [options]   (JSON Lines in on stdin, JSON Lines out on stdout)");
        output.WriteLine();
        output.WriteLine("commands:");
        int width = commands.Max(c => c.Name.Length);
        foreach (var command in commands)
            output.WriteLine($"  {command.Name.PadRight(width)}  {command.Summary}");
        output.WriteLine();
        output.WriteLine("Input lines are {\"text\": \"...\"}; each command writes one output line per input line, in order.");
        output.WriteLine("Errors go to stderr as one line (naming the input line when one line is at fault), with exit code 1 (2 for usage).");
        output.WriteLine();
        output.WriteLine($"  {Tool} <command> --help   options and output of a command");
        output.WriteLine($"  {Tool} --version          the version");
    }

    /// <summary>Writes <paramref name="text"/> after <paramref name="lead"/>, wrapped at the help width with later lines indented under it.</summary>
    private static void WriteWrapped(TextWriter output, string lead, string text)
    {
        const int Width = 110;
        int room = Math.Max(Width - lead.Length, 30);
        var line = new System.Text.StringBuilder();
        string indent = new(' ', lead.Length);
        bool first = true;
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > room)
            {
                output.WriteLine((first ? lead : indent) + line);
                first = false;
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        output.WriteLine((first ? lead : indent) + line);
    }

    public static void WriteCommand(TextWriter output, CliCommand command)
    {
        output.WriteLine($"usage: {Tool} {command.Name} [options]");
        output.WriteLine();
        output.WriteLine(command.Summary);
        output.WriteLine();
        output.WriteLine("options:");
        var options = command.Options.Append(new CliOption("--help, -h", null, "show this help"));
        int width = options.Max(o => o.Syntax.Length);
        foreach (var option in options)
            WriteWrapped(output, $"  {option.Syntax.PadRight(width)}  ", option.Description);
        output.WriteLine();
        output.WriteLine("output:");
        foreach (var line in command.Output.Split('\n'))
            output.WriteLine($"  {line}");
    }
}
