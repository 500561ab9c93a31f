using System.Diagnostics;

namespace Embeddings.Diagnostics;

/// <summary>
/// The telemetry of one public call: an <c>embeddings.embed</c> activity around it and, when it completes, one
/// request with its text and token counts (tokens as fed to the model, summed over the call's prepared parts).
/// </summary>
internal sealed class CallObservation : IDisposable
{
    private readonly string _operation;
    private readonly int _texts;
    private readonly Activity? _activity;
    private long _tokens;

    private CallObservation(string operation, int texts)
    {
        _operation = operation;
        _texts = texts;
        _activity = EmbeddingsTelemetry.ActivitySource.StartActivity("embeddings.embed");
        _activity?.SetTag(EmbeddingsTelemetry.OperationTag, operation);
        _activity?.SetTag("embeddings.texts", texts);
    }

    /// <summary>Starts observing a call of <paramref name="operation"/> over <paramref name="texts"/> inputs.</summary>
    public static CallObservation Start(string operation, int texts) => new(operation, texts);

    /// <summary>Counts the tokens of a prepared part of the call and hands it back.</summary>
    public T Track<T>(T call) where T : Pipelines.PreparedCall
    {
        Interlocked.Add(ref _tokens, call.TokenCount);
        return call;
    }

    /// <summary>Records the completed call.</summary>
    public void Complete()
    {
        _activity?.SetTag("embeddings.tokens", Interlocked.Read(ref _tokens));
        EmbeddingsTelemetry.RecordRequest(_operation, _texts, Interlocked.Read(ref _tokens));
    }

    /// <summary>Marks the call as failed.</summary>
    public void Fail(Exception error) => _activity?.SetStatus(ActivityStatusCode.Error, error.GetType().Name);

    /// <summary>Ends the activity.</summary>
    public void Dispose() => _activity?.Dispose();
}
