using Embeddings;
using Embeddings.Server;
using Embeddings.Server.Hosting;

// A TEI-compatible and OpenAI-compatible embedding server:
//   dotnet run --project samples/Embeddings.Server -c Release -- --model DIR|org/name [--urls http://127.0.0.1:8080]
// The model is loaded before the server starts listening; Ctrl+C or SIGTERM stops it after in-flight requests finish.
if (ServerHelp.Wanted(args))
{
    Console.Out.Write(ServerHelp.Text);
    return 0;
}
if (ServerHelp.VersionWanted(args))
{
    Console.Out.WriteLine(ServerHelp.Version);
    return 0;
}

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
    // One line, no stack trace: the reasons of the whole exception chain (--Logging:LogLevel:Embeddings=Debug logs the trace).
    Console.Error.WriteLine($"Could not load the model: {LoadErrorLogging.Reasons(e)}");
    await app.DisposeAsync();
    return 1;
}

await app.RunAsync();
return 0;
