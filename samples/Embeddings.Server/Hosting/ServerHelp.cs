using System.Reflection;

namespace Embeddings.Server.Hosting;

/// <summary>The server's <c>--help</c> and <c>--version</c>: answered before anything is configured or loaded.</summary>
internal static class ServerHelp
{
    /// <summary>True when the arguments ask for help (<c>--help</c>, <c>-h</c>, <c>-?</c>).</summary>
    public static bool Wanted(IReadOnlyList<string> args) => args.Any(arg => arg is "--help" or "-h" or "-?");

    /// <summary>True when the arguments ask for the version (<c>--version</c>).</summary>
    public static bool VersionWanted(IReadOnlyList<string> args) => args.Contains("--version");

    /// <summary>The server's version (the library's informational version).</summary>
    public static string Version =>
        typeof(Embedder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The usage text.</summary>
    public const string Text = """
        Embeddings.Server: a TEI-compatible and OpenAI-compatible embedding server.

        Usage: Embeddings.Server [--model DIR|org/name] [options]

        Model
          --model DIR|org/name         A model folder or Hugging Face model id (default: the library's default model).
          --revision REV               The revision of a Hugging Face id (default: main).
          --threads N                  ONNX Runtime intra-op threads (default: the runtime chooses).
          --max-batch-tokens N         Padded tokens per model run (default: the library's).
          --max-queued-tokens N        Tokens waiting or running before requests are answered 429.

        Requests
          --max-client-batch-size N    Most inputs one request may carry; more is answered 413 (default: 32).
          --auto-truncate true|false   Cut inputs over the model's limit unless a request says (default: true).
          --served-model-name NAME     The model name /info and /v1/embeddings report (default: the model id).
          --api-key KEY                Require "Authorization: Bearer KEY" (401 otherwise); /health, /metrics,
                                       /openapi/v1.json and /docs stay open.

        Hosting (standard ASP.NET settings)
          --urls URL[;URL]             Where to listen (default: http://127.0.0.1:8080, loopback only).
          --Logging:LogLevel:Embeddings=Debug
                                       Log the library's details, including the full cause of a failed model load.

        Every setting can also come from an environment variable or appsettings.json under the same key.

        Routes
          POST /embed /embed_all /embed_sparse /tokenize /decode   TEI's API
          POST /v1/embeddings (also /embeddings)                    OpenAI's API
          GET  /info /health /metrics /openapi/v1.json /docs

          --help, -h                   This text.      --version   The version.
        """;
}
