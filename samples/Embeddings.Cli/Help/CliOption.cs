namespace Embeddings.Cli.Help;

/// <summary>One option as the help lists it: <c>--name VALUE</c> and what it does.</summary>
/// <param name="Name">The option, with its dashes (<c>--model</c>).</param>
/// <param name="Value">What follows it (<c>DIR</c>, <c>N</c>, <c>true|false</c>), or null for a flag.</param>
/// <param name="Description">One line on what it does and its default.</param>
internal sealed record CliOption(string Name, string? Value, string Description)
{
    /// <summary>The option as it is typed: <c>--name VALUE</c>.</summary>
    public string Syntax => Value is null ? Name : $"{Name} {Value}";
}
