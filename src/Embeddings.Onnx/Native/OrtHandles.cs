using System.Buffers;
using System.Runtime.InteropServices;

namespace Embeddings.Onnx.Native;

/// <summary>
/// Owns one ONNX Runtime object and releases it exactly once, on <see cref="SafeHandle.Dispose()"/> or,
/// if that is forgotten, on finalization. A handle may keep another alive (a session its environment, an
/// output its session): the other is released only after this one.
/// </summary>
/// <remarks>
/// Handles are wrapped only after the native call that created them succeeded, so an invalid (zero)
/// handle never owns anything.
/// </remarks>
internal abstract class OrtHandle : SafeHandle
{
    private readonly SafeHandle? _keptAlive;

    /// <summary>Takes ownership of <paramref name="handle"/>.</summary>
    /// <param name="api">The table holding the release function.</param>
    /// <param name="handle">The native object, already created.</param>
    /// <param name="keepAlive">A handle that must outlive this one, or null.</param>
    protected OrtHandle(OrtApi api, nint handle, SafeHandle? keepAlive)
        : base(0, ownsHandle: true)
    {
        Api = api;
        // Ownership first: if taking the reference below fails, the finalizer still releases the object.
        SetHandle(handle);
        if (keepAlive is not null)
        {
            bool added = false;
            keepAlive.DangerousAddRef(ref added);
            _keptAlive = keepAlive;
        }
    }

    /// <summary>The function table of the library the object came from.</summary>
    protected OrtApi Api { get; }

    /// <inheritdoc />
    public override bool IsInvalid => handle == 0;

    /// <summary>Calls the C API's release function for this kind of object.</summary>
    protected abstract void Release(nint value);

    /// <summary>Calls a C API setter of the form <c>OrtStatus* f(Ort* object, const char* key, const char* value)</c> on this object.</summary>
    protected unsafe void AddEntry(delegate* unmanaged<nint, byte*, byte*, nint> add, string key, string value)
    {
        fixed (byte* k = Utf8.NullTerminated(key))
        fixed (byte* v = Utf8.NullTerminated(value))
            Api.Check(add(handle, k, v));
    }

    /// <summary>What to let go of after the native object is released.</summary>
    protected virtual void AfterRelease()
    {
    }

    /// <inheritdoc />
    protected sealed override bool ReleaseHandle()
    {
        try
        {
            Release(handle);
        }
        finally
        {
            AfterRelease();
            _keptAlive?.DangerousRelease();
        }
        return true;
    }
}

/// <summary>An <c>OrtEnv</c>: logging and the runtime's global state.</summary>
internal sealed class OrtEnvHandle(OrtApi api, nint handle) : OrtHandle(api, handle, null)
{
    protected override unsafe void Release(nint value) => Api.ReleaseEnv(value);
}

/// <summary>An <c>OrtSessionOptions</c>, needed only while a session is created.</summary>
internal sealed class OrtSessionOptionsHandle(OrtApi api, nint handle) : OrtHandle(api, handle, null)
{
    public static unsafe OrtSessionOptionsHandle Create(OrtApi api)
    {
        nint options;
        api.Check(api.CreateSessionOptions(&options));
        return new OrtSessionOptionsHandle(api, options);
    }

    /// <summary>Sets a session configuration entry (<c>AddSessionConfigEntry</c>).</summary>
    public unsafe void AddConfigEntry(string key, string value) => AddEntry(Api.AddSessionConfigEntry, key, value);

    protected override unsafe void Release(nint value) => Api.ReleaseSessionOptions(value);
}

/// <summary>An <c>OrtSession</c>; keeps its environment alive.</summary>
internal sealed class OrtSessionHandle(OrtApi api, nint handle, OrtEnvHandle environment) : OrtHandle(api, handle, environment)
{
    protected override unsafe void Release(nint value) => Api.ReleaseSession(value);
}

/// <summary>An <c>OrtMemoryInfo</c> describing where tensor data lives.</summary>
internal sealed class OrtMemoryInfoHandle(OrtApi api, nint handle) : OrtHandle(api, handle, null)
{
    protected override unsafe void Release(nint value) => Api.ReleaseMemoryInfo(value);
}

/// <summary>An <c>OrtRunOptions</c>, one per run, so that terminating one run touches no other.</summary>
internal sealed class OrtRunOptionsHandle(OrtApi api, nint handle) : OrtHandle(api, handle, null)
{
    public static unsafe OrtRunOptionsHandle Create(OrtApi api)
    {
        nint options;
        api.Check(api.CreateRunOptions(&options));
        return new OrtRunOptionsHandle(api, options);
    }

    /// <summary>Sets a run configuration entry (<c>AddRunConfigEntry</c>).</summary>
    public unsafe void AddConfigEntry(string key, string value) => AddEntry(Api.AddRunConfigEntry, key, value);

    /// <summary>
    /// Asks the run using these options to stop at the next operator boundary. Called from a cancellation
    /// callback, so it never throws: setting a flag cannot fail in a way the caller could act on.
    /// </summary>
    public unsafe void Terminate()
    {
        bool added = false;
        try
        {
            DangerousAddRef(ref added);
            var status = Api.RunOptionsSetTerminate(handle);
            if (status != 0) Api.ReleaseStatus(status);
        }
        catch (ObjectDisposedException)
        {
            // The run is over and its options released: nothing left to stop.
        }
        finally
        {
            if (added) DangerousRelease();
        }
    }

    protected override unsafe void Release(nint value) => Api.ReleaseRunOptions(value);
}

/// <summary>An <c>OrtTypeInfo</c> of a model input or output.</summary>
internal sealed class OrtTypeInfoHandle(OrtApi api, nint handle) : OrtHandle(api, handle, null)
{
    protected override unsafe void Release(nint value) => Api.ReleaseTypeInfo(value);
}

/// <summary>An <c>OrtTensorTypeAndShapeInfo</c> read from a value.</summary>
internal sealed class OrtTensorTypeAndShapeInfoHandle(OrtApi api, nint handle) : OrtHandle(api, handle, null)
{
    protected override unsafe void Release(nint value) => Api.ReleaseTensorTypeAndShapeInfo(value);
}

/// <summary>An <c>OrtCUDAProviderOptionsV2</c>, needed only while the CUDA provider is appended.</summary>
internal sealed class OrtCudaProviderOptionsHandle(OrtApi api, nint handle) : OrtHandle(api, handle, null)
{
    protected override unsafe void Release(nint value) => Api.ReleaseCUDAProviderOptions(value);
}

/// <summary>
/// An <c>OrtValue</c>. One created over managed memory owns that memory's pin and unpins it only after
/// the value is released; one returned by a run keeps its session alive.
/// </summary>
internal sealed class OrtValueHandle : OrtHandle
{
    private MemoryHandle _pin;

    public OrtValueHandle(OrtApi api, nint handle, SafeHandle? keepAlive)
        : base(api, handle, keepAlive)
    {
    }

    public OrtValueHandle(OrtApi api, nint handle, MemoryHandle pin)
        : base(api, handle, null)
    {
        _pin = pin;
    }

    protected override unsafe void Release(nint value) => Api.ReleaseValue(value);

    protected override void AfterRelease() => _pin.Dispose();
}
