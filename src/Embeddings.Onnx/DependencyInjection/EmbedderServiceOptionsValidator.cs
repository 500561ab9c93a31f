using Embeddings.Models;
using Microsoft.Extensions.Options;

namespace Embeddings.Onnx.DependencyInjection;

/// <summary>
/// Start-up checks for <see cref="EmbedderServiceOptions"/> that cost no model load: a model is named, and it is
/// an existing folder or reads as a Hugging Face id. The model itself is loaded when the embedder is first resolved.
/// </summary>
internal sealed class EmbedderServiceOptionsValidator : IValidateOptions<EmbedderServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, EmbedderServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Model))
            return ValidateOptionsResult.Fail(
                $"{nameof(EmbedderServiceOptions)}.{nameof(EmbedderServiceOptions.Model)} is not set: name a model folder or a Hugging Face model id (org/name).");
        if (!Directory.Exists(options.Model) && !HubModelDownloader.IsHubId(options.Model))
            return ValidateOptionsResult.Fail(
                $"{nameof(EmbedderServiceOptions)}.{nameof(EmbedderServiceOptions.Model)} \"{options.Model}\" is neither an existing folder nor a Hugging Face model id (org/name).");
        return ValidateOptionsResult.Success;
    }
}
