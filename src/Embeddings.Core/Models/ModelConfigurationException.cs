namespace Embeddings.Models;

/// <summary>
/// A model folder is missing something it needs, or one of its configuration files is malformed or asks
/// for something this library does not do. The message names the file and says what to fix.
/// </summary>
public class ModelConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelConfigurationException() : this("The model folder is not usable.") { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    public ModelConfigurationException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="innerException">The underlying failure.</param>
    public ModelConfigurationException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for a specific file.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="filePath">The file at fault.</param>
    /// <param name="innerException">The underlying failure.</param>
    public ModelConfigurationException(string message, string? filePath, Exception? innerException = null)
        : base(filePath is null ? message : $"{filePath}: {message}", innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The file at fault, when there is one.</summary>
    public string? FilePath { get; }
}
