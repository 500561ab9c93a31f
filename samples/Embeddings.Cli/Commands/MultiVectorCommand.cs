using Embeddings.Cli.Feedback;
using Embeddings.Cli.Help;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>multivector --model DIR [--role query|document]</c>: per input line <c>{"vectors": [[...], ...]}</c>, one row
/// per token a multi-vector (ColBERT-style) model keeps, after its token-level Dense, mask and Normalize
/// (EmbedMultiVector; documents by default, as sentence-transformers' <c>encode</c> without a task).
/// </summary>
internal static class MultiVectorCommand
{
    public static readonly CliCommand Command = new("multivector", "one row per kept token, for multi-vector (ColBERT-style) models",
        CommonOptions.ForModelCommand(
            new CliOption("--role", "query|document", "encode as queries or as documents (default document); models treat the two differently")),
        "{\"vectors\":[[0.12,...],[...],...]}   one row per token the model keeps, after its Dense, mask and Normalize",
        Run);

    public static int Run(CommandLine args, CommandIO io)
    {
        var role = args.Value("--role") switch
        {
            null or "document" => MultiVectorRole.Document,
            "query" => MultiVectorRole.Query,
            var other => throw new CliException($"--role must be query or document, not \"{other}\""),
        };
        bool progress = args.Flag("--progress");
        var model = ModelLoader.Parse(args);
        args.RejectUnknown();
        using var embedder = model.Load();
        if (!embedder.SupportsMultiVector)
            throw new CliException($"cannot run multivector: {embedder.Info.ModelId} is not a multi-vector (ColBERT-style) model (no MultiVectorEncoder or PyLate folder)");
        var options = new MultiVectorOptions();
        ProgressDisplay.Run(progress, "multivector", io.CountRecords, bar => TextBatches.Process(io, bar, options,
            texts => embedder.EmbedMultiVector(texts, role, options),
            (writer, result) => writer.FloatMatrix("vectors", result.Vectors.Span, result.Dimensions)));
        return 0;
    }
}
