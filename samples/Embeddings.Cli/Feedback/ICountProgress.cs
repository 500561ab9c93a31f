namespace Embeddings.Cli.Feedback;

/// <summary>Told how many input lines are done; safe to call from any thread, and never goes backwards.</summary>
internal interface ICountProgress
{
    /// <summary>Input lines finished so far, out of the total the display was started with.</summary>
    void Report(int done);
}
