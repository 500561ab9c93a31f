namespace Embeddings.Server;

/// <summary>A server setting is malformed; the message names the setting.</summary>
internal sealed class ServerConfigurationException(string message) : Exception(message);
