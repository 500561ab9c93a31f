namespace Embeddings.Server;

/// <summary>The server's log messages (never the request texts).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 100, EventName = "RequestFailed", Level = LogLevel.Error, Message = "{Path} failed with {StatusCode}.")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string path, int statusCode);

    [LoggerMessage(EventId = 101, EventName = "RequestRefused", Level = LogLevel.Debug, Message = "{Path} refused with {StatusCode} {ErrorType}: {Reason}")]
    public static partial void RequestRefused(ILogger logger, string path, int statusCode, string errorType, string reason);

    [LoggerMessage(EventId = 102, EventName = "UnknownModelRequested", Level = LogLevel.Warning,
        Message = "A request named model \"{Requested}\"; this server serves \"{Served}\" only (the request is answered with it).")]
    public static partial void UnknownModelRequested(ILogger logger, string requested, string served);

    [LoggerMessage(EventId = 103, EventName = "Unhealthy", Level = LogLevel.Warning, Message = "Health probe failed.")]
    public static partial void Unhealthy(ILogger logger, Exception exception);
}
