using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Embeddings.Onnx.DependencyInjection;

/// <summary>
/// The <see cref="IEmbedder"/> the container hands out: the registered embedder, with one debug log line per call
/// (operation, input count, tokens for dense calls, duration; never the texts). Costs nothing when debug logging is off.
/// </summary>
internal sealed class LoggingEmbedder : IEmbedder
{
    private readonly IEmbedder _inner;
    private readonly ILogger _logger;

    public LoggingEmbedder(IEmbedder inner, ILogger logger)
    {
        _inner = inner;
        _logger = logger;
    }

    public EmbedderInfo Info => _inner.Info;

    public EmbeddingResult Embed(IReadOnlyList<string> texts, EmbedOptions? options = null, CancellationToken cancellationToken = default) =>
        Run("Embed", texts, () => _inner.Embed(texts, options, cancellationToken), result => result.TotalTokens);

    public Task<EmbeddingResult> EmbedAsync(IReadOnlyList<string> texts, EmbedOptions? options = null, CancellationToken cancellationToken = default) =>
        RunAsync("EmbedAsync", texts, () => _inner.EmbedAsync(texts, options, cancellationToken), result => result.TotalTokens);

    public IReadOnlyList<TokenEmbeddings> EmbedTokens(IReadOnlyList<string> texts, TokenEmbeddingOptions? options = null, CancellationToken cancellationToken = default) =>
        Run("EmbedTokens", texts, () => _inner.EmbedTokens(texts, options, cancellationToken), tokens: null);

    public Task<IReadOnlyList<TokenEmbeddings>> EmbedTokensAsync(IReadOnlyList<string> texts, TokenEmbeddingOptions? options = null, CancellationToken cancellationToken = default) =>
        RunAsync("EmbedTokensAsync", texts, () => _inner.EmbedTokensAsync(texts, options, cancellationToken), tokens: null);

    public IReadOnlyList<SparseEmbedding> EmbedSparse(IReadOnlyList<string> texts, SparseEmbeddingOptions? options = null, CancellationToken cancellationToken = default) =>
        Run("EmbedSparse", texts, () => _inner.EmbedSparse(texts, options, cancellationToken), tokens: null);

    public Task<IReadOnlyList<SparseEmbedding>> EmbedSparseAsync(IReadOnlyList<string> texts, SparseEmbeddingOptions? options = null, CancellationToken cancellationToken = default) =>
        RunAsync("EmbedSparseAsync", texts, () => _inner.EmbedSparseAsync(texts, options, cancellationToken), tokens: null);

    public IReadOnlyList<IReadOnlyList<DocumentChunk>> LateChunk(IReadOnlyList<string> documents, LateChunkOptions? options = null, CancellationToken cancellationToken = default) =>
        Run("LateChunk", documents, () => _inner.LateChunk(documents, options, cancellationToken), tokens: null);

    public Task<IReadOnlyList<IReadOnlyList<DocumentChunk>>> LateChunkAsync(IReadOnlyList<string> documents, LateChunkOptions? options = null, CancellationToken cancellationToken = default) =>
        RunAsync("LateChunkAsync", documents, () => _inner.LateChunkAsync(documents, options, cancellationToken), tokens: null);

    public void Dispose() => _inner.Dispose();

    private T Run<T>(string operation, IReadOnlyList<string>? inputs, Func<T> call, Func<T, long>? tokens)
    {
        if (!_logger.IsEnabled(LogLevel.Debug)) return call();
        long started = Stopwatch.GetTimestamp();
        try
        {
            var result = call();
            Completed(operation, inputs, result, tokens, started);
            return result;
        }
        catch (Exception e)
        {
            EmbedderLog.CallFailed(_logger, operation, inputs?.Count ?? 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, e.GetType().Name);
            throw;
        }
    }

    private Task<T> RunAsync<T>(string operation, IReadOnlyList<string>? inputs, Func<Task<T>> call, Func<T, long>? tokens) =>
        _logger.IsEnabled(LogLevel.Debug) ? RunLoggedAsync(operation, inputs, call, tokens) : call();

    private async Task<T> RunLoggedAsync<T>(string operation, IReadOnlyList<string>? inputs, Func<Task<T>> call, Func<T, long>? tokens)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            var result = await call().ConfigureAwait(false);
            Completed(operation, inputs, result, tokens, started);
            return result;
        }
        catch (Exception e)
        {
            EmbedderLog.CallFailed(_logger, operation, inputs?.Count ?? 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, e.GetType().Name);
            throw;
        }
    }

    private void Completed<T>(string operation, IReadOnlyList<string>? inputs, T result, Func<T, long>? tokens, long started)
    {
        double elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        int count = inputs?.Count ?? 0;
        if (tokens is null) EmbedderLog.CallCompletedUncounted(_logger, operation, count, elapsed);
        else EmbedderLog.CallCompleted(_logger, operation, count, tokens(result), elapsed);
    }
}
