using System.Text.RegularExpressions;

namespace Embeddings.Onnx.Runtime;

/// <summary>Turns the managed API's exceptions into the library's typed ones.</summary>
internal static partial class OrtErrors
{
    /// <summary>
    /// The code and message of an ONNX Runtime failure. The managed API puts the code only into the message
    /// ("[ErrorCode:InvalidProtobuf] …"); codes it has no name for stay <see cref="OrtErrorCode.Fail"/>.
    /// </summary>
    /// <param name="runtimeMessage">The managed exception's message.</param>
    public static (OrtErrorCode Code, string Message) Describe(string runtimeMessage)
    {
        var match = CodePrefix().Match(runtimeMessage);
        if (!match.Success) return (OrtErrorCode.Fail, runtimeMessage.Trim());
        var code = Enum.TryParse<OrtErrorCode>(match.Groups["code"].Value, ignoreCase: false, out var parsed) ? parsed : OrtErrorCode.Fail;
        return (code, match.Groups["message"].Value.Trim());
    }

    /// <summary>An <see cref="OnnxRuntimeException"/> carrying the runtime's code, with <paramref name="context"/> before its message.</summary>
    public static OnnxRuntimeException Wrap(Microsoft.ML.OnnxRuntime.OnnxRuntimeException exception, string context)
    {
        var (code, message) = Describe(exception.Message);
        return new OnnxRuntimeException(code, $"{context}: {message}", exception);
    }

    [GeneratedRegex(@"^\[ErrorCode:(?<code>\w+)\]\s*(?<message>.*)$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex CodePrefix();
}
