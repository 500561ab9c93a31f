using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Embeddings.Diagnostics;

/// <summary>
/// The library's metrics and traces, for OpenTelemetry or <c>dotnet-counters</c>:
/// <c>AddMeter(EmbeddingsTelemetry.MeterName)</c> and <c>AddSource(EmbeddingsTelemetry.ActivitySourceName)</c>.
/// </summary>
/// <remarks>
/// Instruments (all tagged with <c>embeddings.operation</c> = embed, tokens, sparse or chunk where it applies):
/// <list type="table">
/// <item><term><c>embeddings.requests</c></term><description>Counter: calls that completed.</description></item>
/// <item><term><c>embeddings.texts</c></term><description>Counter: texts (or documents) embedded by those calls.</description></item>
/// <item><term><c>embeddings.tokens</c></term><description>Counter: tokens fed to the model (real tokens, not padding), for every operation (late chunking counts the tokens of all its windows).</description></item>
/// <item><term><c>embeddings.batch.size</c></term><description>Histogram: sequences per model run.</description></item>
/// <item><term><c>embeddings.batch.padded_tokens</c></term><description>Histogram: sequences × padded length per model run.</description></item>
/// <item><term><c>embeddings.inference.duration</c></term><description>Histogram (ms): time inside the model per run.</description></item>
/// <item><term><c>embeddings.queue.wait</c></term><description>Histogram (ms): time a request waited in the micro-batching queue.</description></item>
/// </list>
/// Activities: <c>embeddings.embed</c> (one per call, tagged with the operation and the text count <c>embeddings.texts</c>;
/// error status when the call throws) and <c>embeddings.inference</c>
/// (one per model run, with batch size and padded length).
/// </remarks>
public static class EmbeddingsTelemetry
{
    /// <summary>The name of the library's <see cref="Meter"/>.</summary>
    public const string MeterName = "Embeddings";

    /// <summary>The name of the library's <see cref="System.Diagnostics.ActivitySource"/>.</summary>
    public const string ActivitySourceName = "Embeddings";

    /// <summary>The tag naming the operation.</summary>
    public const string OperationTag = "embeddings.operation";

    private static readonly Meter Meter = new(MeterName, typeof(EmbeddingsTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly ActivitySource ActivitySource = new(ActivitySourceName, typeof(EmbeddingsTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Counter<long> Requests = Meter.CreateCounter<long>("embeddings.requests", "{request}", "Embedding calls.");

    internal static readonly Counter<long> Texts = Meter.CreateCounter<long>("embeddings.texts", "{text}", "Texts embedded.");

    internal static readonly Counter<long> Tokens = Meter.CreateCounter<long>("embeddings.tokens", "{token}", "Tokens fed to the model, padding excluded.");

    internal static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("embeddings.batch.size", "{sequence}", "Sequences per model run.");

    internal static readonly Histogram<long> BatchPaddedTokens = Meter.CreateHistogram<long>("embeddings.batch.padded_tokens", "{token}", "Sequences × padded length per model run.");

    internal static readonly Histogram<double> InferenceDuration = Meter.CreateHistogram<double>("embeddings.inference.duration", "ms", "Time inside the model per run.");

    internal static readonly Histogram<double> QueueWait = Meter.CreateHistogram<double>("embeddings.queue.wait", "ms", "Time a request waited in the micro-batching queue.");

    /// <summary>Records one completed call; <paramref name="tokens"/> is null when the operation's result does not tell.</summary>
    internal static void RecordRequest(string operation, int texts, long? tokens)
    {
        var tag = new KeyValuePair<string, object?>(OperationTag, operation);
        Requests.Add(1, tag);
        Texts.Add(texts, tag);
        if (tokens is { } count) Tokens.Add(count, tag);
    }
}
