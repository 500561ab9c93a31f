namespace Embeddings.Onnx;

/// <summary>The error codes ONNX Runtime attaches to a failure (the C API's <c>OrtErrorCode</c>, same values).</summary>
public enum OrtErrorCode
{
    /// <summary>No error.</summary>
    Ok = 0,
    /// <summary>A failure without a more specific code; the message says what happened.</summary>
    Fail = 1,
    /// <summary>An argument was invalid: a wrong shape, type or configuration value.</summary>
    InvalidArgument = 2,
    /// <summary>A file, such as the model, does not exist.</summary>
    NoSuchFile = 3,
    /// <summary>Kept by ONNX Runtime for compatibility; no longer reported.</summary>
    NoModel = 4,
    /// <summary>A device or backend engine failed.</summary>
    EngineError = 5,
    /// <summary>An exception was raised inside ONNX Runtime (also what a terminated run reports).</summary>
    RuntimeException = 6,
    /// <summary>The model file is not valid protobuf: truncated, corrupt or not an ONNX model.</summary>
    InvalidProtobuf = 7,
    /// <summary>The session was in the wrong state for the call.</summary>
    ModelLoaded = 8,
    /// <summary>The feature is not implemented in this build of ONNX Runtime.</summary>
    NotImplemented = 9,
    /// <summary>The model graph is invalid.</summary>
    InvalidGraph = 10,
    /// <summary>An execution provider failed.</summary>
    EpFail = 11,
    /// <summary>Loading the model was cancelled.</summary>
    ModelLoadCanceled = 12,
    /// <summary>The model needs compilation by an execution provider, which was disabled.</summary>
    ModelRequiresCompilation = 13,
    /// <summary>A requested resource was not found.</summary>
    NotFound = 14,
    /// <summary>The device was reset; the session must be recreated.</summary>
    DeviceReset = 15,
}
