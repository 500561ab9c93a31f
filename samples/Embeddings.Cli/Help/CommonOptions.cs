using Embeddings.Onnx;

namespace Embeddings.Cli.Help;

/// <summary>Options several commands share, declared once so every command's help says the same about them.</summary>
internal static class CommonOptions
{
    public static readonly CliOption Input = new("--input", "FILE", "read JSON Lines from FILE instead of stdin");

    public static readonly CliOption Progress = new("--progress", null,
        "show progress on stderr: a bar on a terminal, otherwise one \"done/total\" line per batch, ending with \"N/N\" (the input is counted first)");

    public static readonly CliOption Truncate = new("--truncate", "error|right|left",
        "texts over the model's limit: cut at the end (right) or the start (left), or stop with an error naming the line; default: the model's side, and the count of cut texts goes to stderr");

    public static readonly CliOption Normalize = new("--normalize", "true|false", "L2-normalize the vectors");

    /// <summary>The options of every command that loads a model.</summary>
    public static readonly IReadOnlyList<CliOption> Model =
    [
        new("--model", "DIR|org/name", $"a model folder or a Hugging Face model id (default {OnnxEmbedder.DefaultModelId})"),
        new("--revision", "REV", "the Hugging Face revision (branch, tag or commit) of --model"),
        new("--threads", "N", "threads for the model (default: the runtime's choice)"),
        new("--max-batch-tokens", "N", "padded tokens per batch (bounds memory)"),
        new("--max-batch-size", "N", "texts per batch"),
        new("--endpoint", "URL", "instead of --model: a TEI-compatible server (TEI or the Embeddings server); embed, tokens and sparse"),
        new("--api-key", "KEY", "the server's API key for --endpoint (default: the EMBEDDINGS_API_KEY variable)"),
    ];

    /// <summary>The options a model command takes besides its own: the model, input and progress.</summary>
    public static IReadOnlyList<CliOption> ForModelCommand(params CliOption[] own) => [.. own, .. Model, Input, Progress];
}
