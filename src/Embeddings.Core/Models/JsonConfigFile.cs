using System.Text.Json;

namespace Embeddings.Models;

/// <summary>
/// Reads the small JSON configuration files of a model folder with bounded size and depth, turning
/// every failure into a <see cref="ModelConfigurationException"/> that names the file.
/// </summary>
internal static class JsonConfigFile
{
    /// <summary>Configuration files are a few kilobytes; anything this large is not one.</summary>
    public const long MaxBytes = 16 * 1024 * 1024;

    private static readonly JsonDocumentOptions Options = new()
    {
        MaxDepth = 64,
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Parses <paramref name="path"/>, or returns null when the file does not exist.</summary>
    public static JsonDocument? TryRead(string path)
    {
        if (!File.Exists(path)) return null;
        return Read(path);
    }

    /// <summary>Parses <paramref name="path"/>.</summary>
    public static JsonDocument Read(string path)
    {
        try
        {
            if (RegularFile.NotRegularReason(path) is { } notRegular)
                throw new ModelConfigurationException($"is {notRegular}, not a regular file.", path);
            var bytes = RegularFile.ReadAllBytes(path, MaxBytes)
                ?? throw new ModelConfigurationException($"the file is larger than {MaxBytes} bytes, the limit for configuration files.", path);
            var document = JsonDocument.Parse(bytes, Options);
            try
            {
                CheckText(document.RootElement);
            }
            catch (InvalidOperationException e)
            {
                document.Dispose();
                throw new ModelConfigurationException($"holds text that is not valid Unicode ({e.Message}).", path, e);
            }
            return document;
        }
        catch (JsonException e)
        {
            throw new ModelConfigurationException($"not valid JSON ({e.Message}).", path, e);
        }
        catch (IOException e)
        {
            throw new ModelConfigurationException($"cannot be read ({e.Message}).", path, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ModelConfigurationException($"cannot be read ({e.Message}).", path, e);
        }
    }

    // The parser checks structure, not text: invalid UTF-8 or an unpaired surrogate escape (\ud800) inside a string
    // would only fail where that string is read, as InvalidOperationException. Reading every string of these small
    // files once makes it one error naming the file.
    private static void CheckText(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    CheckText(property.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) CheckText(item);
                break;
            case JsonValueKind.String:
                _ = element.GetString();
                break;
        }
    }

    /// <summary>The root object of a document, or an error naming the file.</summary>
    public static JsonElement RootObject(JsonDocument document, string path)
    {
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new ModelConfigurationException($"expected a JSON object at the top level, found {document.RootElement.ValueKind}.", path);
        return document.RootElement;
    }

    /// <summary>An optional string property; null when absent or JSON null.</summary>
    public static string? String(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String)
            throw new ModelConfigurationException($"'{name}' should be a string, found {value.ValueKind}.", path);
        return value.GetString();
    }

    /// <summary>An optional integer property; null when absent or JSON null. Huge values (such as
    /// transformers' "very large integer" for an unset model_max_length) come back as <see cref="long.MaxValue"/>.</summary>
    public static long? Integer(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Number)
            throw new ModelConfigurationException($"'{name}' should be a number, found {value.ValueKind}.", path);
        if (value.TryGetInt64(out long integer)) return integer;
        double real = value.GetDouble();
        if (real >= long.MaxValue) return long.MaxValue;
        if (real == Math.Floor(real) && real >= long.MinValue) return (long)real;
        throw new ModelConfigurationException($"'{name}' should be a whole number, found {real}.", path);
    }

    /// <summary>An optional boolean property; null when absent or JSON null.</summary>
    public static bool? Boolean(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ModelConfigurationException($"'{name}' should be true or false, found {value.ValueKind}.", path),
        };
    }
}
