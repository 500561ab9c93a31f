namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>multivector --model DIR [--role query|document]</c>: per input line <c>{"vectors": [[...], ...]}</c>, one row
/// per token a multi-vector (ColBERT-style) model keeps, after its token-level Dense, mask and Normalize
/// (EmbedMultiVector; documents by default, as sentence-transformers' <c>encode</c> without a task).
/// </summary>
internal static class MultiVectorCommand
{
    public static int Run(CommandLine args, CommandIO io)
    {
        var role = args.Value("--role") switch
        {
            null or "document" => MultiVectorRole.Document,
            "query" => MultiVectorRole.Query,
            var other => throw new CliException($"--role must be query or document, not \"{other}\""),
        };
        using var embedder = ModelLoader.Load(args);
        args.RejectUnknown();
        if (!embedder.SupportsMultiVector)
            throw new CliException($"cannot run multivector: {embedder.Info.ModelId} is not a multi-vector (ColBERT-style) model (no MultiVectorEncoder or PyLate folder)");
        TextBatches.Process(io, texts => embedder.EmbedMultiVector(texts, role),
            (writer, result) => writer.FloatMatrix("vectors", result.Vectors.Span, result.Dimensions));
        return 0;
    }
}
