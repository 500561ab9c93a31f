namespace Embeddings.Onnx.Native;

/// <summary>
/// A loaded model: the native session with its inputs and outputs, and a thread-safe <see cref="Run"/>.
/// </summary>
/// <remarks>
/// ONNX Runtime allows concurrent <c>Run</c> calls on one session. Each call here brings its own input
/// values and run options and only reads the metadata, so nothing is shared between calls. Each call holds
/// a reference on the session handle, and so does every output it returns: <see cref="Dispose"/> marks the
/// session closed at once (later calls throw <see cref="ObjectDisposedException"/>), and the native
/// session is released when the last run has returned and the last output is disposed.
/// </remarks>
internal sealed unsafe class OrtSession : IDisposable
{
    // Past this many inputs, name and value arrays go to the heap instead of the stack.
    private const int StackInputLimit = 256;

    private readonly OrtSessionHandle _handle;

    // The input names as C strings, in input order: the same for every run.
    private readonly nint[] _inputNames;

    private OrtSession(OrtRuntime runtime, OrtSessionHandle handle, OrtNodeInfo[] inputs, OrtNodeInfo[] outputs)
    {
        Runtime = runtime;
        _handle = handle;
        Inputs = inputs;
        Outputs = outputs;
        _inputNames = inputs.Select(input => (nint)input.Utf8Name).ToArray();
    }

    /// <summary>The library the session runs on.</summary>
    public OrtRuntime Runtime { get; }

    /// <summary>The model's inputs, in its order (every one must be fed).</summary>
    public IReadOnlyList<OrtNodeInfo> Inputs { get; }

    /// <summary>The model's outputs, in its order.</summary>
    public IReadOnlyList<OrtNodeInfo> Outputs { get; }

    /// <summary>Creates a session from a model file; external data files next to it are found by ONNX Runtime.</summary>
    /// <param name="runtime">The library to use.</param>
    /// <param name="modelPath">Full path of the .onnx file.</param>
    /// <param name="options">Session options; only read during the call.</param>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime could not load the model.</exception>
    public static OrtSession Open(OrtRuntime runtime, string modelPath, OrtSessionOptionsHandle options)
    {
        var api = runtime.Api;
        var environment = runtime.Environment;
        nint session;
        // ORTCHAR_T: UTF-16 on Windows, UTF-8 elsewhere.
        if (OperatingSystem.IsWindows())
        {
            fixed (char* path = modelPath)
                api.Check(api.CreateSession(environment.DangerousGetHandle(), path, options.DangerousGetHandle(), &session));
        }
        else
        {
            fixed (byte* path = Utf8.NullTerminated(modelPath))
                api.Check(api.CreateSession(environment.DangerousGetHandle(), path, options.DangerousGetHandle(), &session));
        }

        var handle = new OrtSessionHandle(api, session, environment);
        try
        {
            return new OrtSession(runtime, handle, ReadNodes(runtime, session, inputs: true), ReadNodes(runtime, session, inputs: false));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Runs the model and returns one output.</summary>
    /// <param name="inputValues">One value per <see cref="Inputs"/>, in the same order; owned by the caller.</param>
    /// <param name="output">The output to compute (one of <see cref="Outputs"/>).</param>
    /// <param name="runOptions">This call's run options (so that terminating it touches no other call).</param>
    /// <returns>The output value; it keeps the session alive until disposed.</returns>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    /// <exception cref="OnnxRuntimeException">The run failed or was terminated.</exception>
    public OrtValueHandle Run(ReadOnlySpan<OrtValueHandle> inputValues, OrtNodeInfo output, OrtRunOptionsHandle runOptions)
    {
        if (inputValues.Length != Inputs.Count)
            throw new ArgumentException($"The model has {Inputs.Count} inputs; {inputValues.Length} values were given.", nameof(inputValues));

        int count = inputValues.Length;
        Span<nint> values = count <= StackInputLimit ? stackalloc nint[count] : new nint[count];
        for (int i = 0; i < count; i++) values[i] = inputValues[i].DangerousGetHandle();

        var api = Runtime.Api;
        bool added = false;
        try
        {
            // Throws ObjectDisposedException once Dispose has run; otherwise the session stays alive until the release below.
            _handle.DangerousAddRef(ref added);
            byte* outputName = output.Utf8Name;
            nint result = 0;
            fixed (nint* names = _inputNames)
            fixed (nint* inputs = values)
                api.Check(api.Run(_handle.DangerousGetHandle(), runOptions.DangerousGetHandle(), (byte**)names, inputs, (nuint)count, &outputName, 1, &result));
            return new OrtValueHandle(api, result, keepAlive: _handle);
        }
        finally
        {
            if (added) _handle.DangerousRelease();
        }
    }

    /// <summary>Closes the session for new runs; the native session goes when the last run and output are done with it.</summary>
    public void Dispose() => _handle.Dispose();

    private static OrtNodeInfo[] ReadNodes(OrtRuntime runtime, nint session, bool inputs)
    {
        var api = runtime.Api;
        nuint count;
        api.Check(inputs ? api.SessionGetInputCount(session, &count) : api.SessionGetOutputCount(session, &count));
        var nodes = new OrtNodeInfo[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            string name = ReadName(runtime, session, i, inputs);
            nint typeInfo;
            api.Check(inputs ? api.SessionGetInputTypeInfo(session, i, &typeInfo) : api.SessionGetOutputTypeInfo(session, i, &typeInfo));
            using var typeInfoHandle = new OrtTypeInfoHandle(api, typeInfo);
            OrtValueType valueType;
            api.Check(api.GetOnnxTypeFromTypeInfo(typeInfo, &valueType));
            var elementType = OrtElementType.Undefined;
            long[] shape = [];
            if (valueType == OrtValueType.Tensor)
            {
                nint tensorInfo;
                api.Check(api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo));
                if (tensorInfo != 0) (elementType, shape) = OrtTensorInfo.Read(api, tensorInfo);
            }
            nodes[(int)i] = new OrtNodeInfo(name, valueType, elementType, shape);
        }
        return nodes;
    }

    private static string ReadName(OrtRuntime runtime, nint session, nuint index, bool input)
    {
        var api = runtime.Api;
        var allocator = runtime.DefaultAllocator;
        byte* name;
        api.Check(input ? api.SessionGetInputName(session, index, allocator, &name) : api.SessionGetOutputName(session, index, allocator, &name));
        try
        {
            return Utf8.ToString(name) ?? string.Empty;
        }
        finally
        {
            api.Check(api.AllocatorFree(allocator, name));
        }
    }
}
