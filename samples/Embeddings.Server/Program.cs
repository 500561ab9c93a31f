using Embeddings;
using Embeddings.Server;

// A TEI-compatible and OpenAI-compatible embedding server:
//   dotnet run --project samples/Embeddings.Server -c Release -- --model DIR|org/name [--urls http://127.0.0.1:8080]
// The model is loaded before the server starts listening; Ctrl+C or SIGTERM stops it after in-flight requests finish.
WebApplication app;
try
{
    app = EmbeddingServer.Build(args);
}
catch (ServerConfigurationException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

try
{
    var embedder = app.Services.GetRequiredService<IEmbedder>();
    Console.Error.WriteLine($"Serving {embedder.Info.ModelId} ({embedder.Info.Dimensions} dimensions).");
}
catch (Exception e)
{
    // The cause is logged in full by the embedder registration; this is the one-line reason.
    Console.Error.WriteLine($"Could not load the model: {e.Message}");
    await app.DisposeAsync();
    return 1;
}

await app.RunAsync();
return 0;
