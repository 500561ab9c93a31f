namespace Embeddings.Onnx.Native;

/// <summary>
/// The ONNX Runtime C API functions this library calls, read from the <c>OrtApi</c> function table that
/// <c>OrtGetApiBase()->GetApi(version)</c> returns.
/// </summary>
/// <remarks>
/// <para>
/// The table is a C struct of function pointers that ONNX Runtime only ever appends to, so a slot's index
/// is the same in every release that has it. Each member below names its 0-based slot, counted in
/// <c>struct OrtApi</c> of <c>include/onnxruntime/core/session/onnxruntime_c_api.h</c>, with the C
/// signature beside it. Handles (<c>OrtEnv*</c>, <c>OrtSession*</c>, …) travel as <see cref="nint"/>;
/// every function returning <c>OrtStatus*</c> returns null on success (see <see cref="Check"/>).
/// </para>
/// <para>
/// The calling convention is the platform default (<c>__stdcall</c> on 32-bit Windows, C elsewhere),
/// which is what <c>delegate* unmanaged</c> without a convention means.
/// </para>
/// </remarks>
internal sealed unsafe class OrtApi
{
    /// <summary>The API version requested from <c>GetApi</c>: every slot used here exists from ONNX Runtime 1.20 on.</summary>
    public const uint RequiredVersion = 20;

    /// <summary>The highest slot this class reads; tests call it to prove the indices line up with the library.</summary>
    public const int HighestSlotUsed = 208;

    private readonly nint* _table;

    /// <summary>Wraps a table returned by <c>GetApi(<see cref="RequiredVersion"/>)</c>.</summary>
    public OrtApi(nint* table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
    }

    // 0: OrtStatus* CreateStatus(OrtErrorCode code, const char* msg)
    public delegate* unmanaged<OrtErrorCode, byte*, nint> CreateStatus => (delegate* unmanaged<OrtErrorCode, byte*, nint>)_table[0];

    // 1: OrtErrorCode GetErrorCode(const OrtStatus* status)
    public delegate* unmanaged<nint, OrtErrorCode> GetErrorCode => (delegate* unmanaged<nint, OrtErrorCode>)_table[1];

    // 2: const char* GetErrorMessage(const OrtStatus* status)
    public delegate* unmanaged<nint, byte*> GetErrorMessage => (delegate* unmanaged<nint, byte*>)_table[2];

    // 3: OrtStatus* CreateEnv(OrtLoggingLevel log_severity_level, const char* logid, OrtEnv** out)
    public delegate* unmanaged<int, byte*, nint*, nint> CreateEnv => (delegate* unmanaged<int, byte*, nint*, nint>)_table[3];

    // 7: OrtStatus* CreateSession(const OrtEnv* env, const ORTCHAR_T* model_path, const OrtSessionOptions* options, OrtSession** out)
    //    ORTCHAR_T is wchar_t (UTF-16) on Windows and char (UTF-8) elsewhere.
    public delegate* unmanaged<nint, void*, nint, nint*, nint> CreateSession => (delegate* unmanaged<nint, void*, nint, nint*, nint>)_table[7];

    // 9: OrtStatus* Run(OrtSession* session, const OrtRunOptions* run_options, const char* const* input_names,
    //                   const OrtValue* const* inputs, size_t input_len, const char* const* output_names,
    //                   size_t output_names_len, OrtValue** outputs)
    public delegate* unmanaged<nint, nint, byte**, nint*, nuint, byte**, nuint, nint*, nint> Run =>
        (delegate* unmanaged<nint, nint, byte**, nint*, nuint, byte**, nuint, nint*, nint>)_table[9];

    // 10: OrtStatus* CreateSessionOptions(OrtSessionOptions** options)
    public delegate* unmanaged<nint*, nint> CreateSessionOptions => (delegate* unmanaged<nint*, nint>)_table[10];

    // 13: OrtStatus* SetSessionExecutionMode(OrtSessionOptions* options, ExecutionMode execution_mode)
    public delegate* unmanaged<nint, int, nint> SetSessionExecutionMode => (delegate* unmanaged<nint, int, nint>)_table[13];

    // 18: OrtStatus* EnableCpuMemArena(OrtSessionOptions* options)
    public delegate* unmanaged<nint, nint> EnableCpuMemArena => (delegate* unmanaged<nint, nint>)_table[18];

    // 19: OrtStatus* DisableCpuMemArena(OrtSessionOptions* options)
    public delegate* unmanaged<nint, nint> DisableCpuMemArena => (delegate* unmanaged<nint, nint>)_table[19];

    // 23: OrtStatus* SetSessionGraphOptimizationLevel(OrtSessionOptions* options, GraphOptimizationLevel level)
    public delegate* unmanaged<nint, int, nint> SetSessionGraphOptimizationLevel => (delegate* unmanaged<nint, int, nint>)_table[23];

    // 24: OrtStatus* SetIntraOpNumThreads(OrtSessionOptions* options, int intra_op_num_threads)
    public delegate* unmanaged<nint, int, nint> SetIntraOpNumThreads => (delegate* unmanaged<nint, int, nint>)_table[24];

    // 25: OrtStatus* SetInterOpNumThreads(OrtSessionOptions* options, int inter_op_num_threads)
    public delegate* unmanaged<nint, int, nint> SetInterOpNumThreads => (delegate* unmanaged<nint, int, nint>)_table[25];

    // 30: OrtStatus* SessionGetInputCount(const OrtSession* session, size_t* out)
    public delegate* unmanaged<nint, nuint*, nint> SessionGetInputCount => (delegate* unmanaged<nint, nuint*, nint>)_table[30];

    // 31: OrtStatus* SessionGetOutputCount(const OrtSession* session, size_t* out)
    public delegate* unmanaged<nint, nuint*, nint> SessionGetOutputCount => (delegate* unmanaged<nint, nuint*, nint>)_table[31];

    // 33: OrtStatus* SessionGetInputTypeInfo(const OrtSession* session, size_t index, OrtTypeInfo** type_info)
    public delegate* unmanaged<nint, nuint, nint*, nint> SessionGetInputTypeInfo => (delegate* unmanaged<nint, nuint, nint*, nint>)_table[33];

    // 34: OrtStatus* SessionGetOutputTypeInfo(const OrtSession* session, size_t index, OrtTypeInfo** type_info)
    public delegate* unmanaged<nint, nuint, nint*, nint> SessionGetOutputTypeInfo => (delegate* unmanaged<nint, nuint, nint*, nint>)_table[34];

    // 36: OrtStatus* SessionGetInputName(const OrtSession* session, size_t index, OrtAllocator* allocator, char** value)
    public delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetInputName => (delegate* unmanaged<nint, nuint, nint, byte**, nint>)_table[36];

    // 37: OrtStatus* SessionGetOutputName(const OrtSession* session, size_t index, OrtAllocator* allocator, char** value)
    public delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetOutputName => (delegate* unmanaged<nint, nuint, nint, byte**, nint>)_table[37];

    // 39: OrtStatus* CreateRunOptions(OrtRunOptions** out)
    public delegate* unmanaged<nint*, nint> CreateRunOptions => (delegate* unmanaged<nint*, nint>)_table[39];

    // 46: OrtStatus* RunOptionsSetTerminate(OrtRunOptions* options)
    public delegate* unmanaged<nint, nint> RunOptionsSetTerminate => (delegate* unmanaged<nint, nint>)_table[46];

    // 49: OrtStatus* CreateTensorWithDataAsOrtValue(const OrtMemoryInfo* info, void* p_data, size_t p_data_len,
    //                                               const int64_t* shape, size_t shape_len, ONNXTensorElementDataType type, OrtValue** out)
    public delegate* unmanaged<nint, void*, nuint, long*, nuint, OrtElementType, nint*, nint> CreateTensorWithDataAsOrtValue =>
        (delegate* unmanaged<nint, void*, nuint, long*, nuint, OrtElementType, nint*, nint>)_table[49];

    // 51: OrtStatus* GetTensorMutableData(OrtValue* value, void** out)
    public delegate* unmanaged<nint, void**, nint> GetTensorMutableData => (delegate* unmanaged<nint, void**, nint>)_table[51];

    // 55: OrtStatus* CastTypeInfoToTensorInfo(const OrtTypeInfo* type_info, const OrtTensorTypeAndShapeInfo** out)
    //     The result belongs to the type info (null when it is not a tensor); it is not released on its own.
    public delegate* unmanaged<nint, nint*, nint> CastTypeInfoToTensorInfo => (delegate* unmanaged<nint, nint*, nint>)_table[55];

    // 56: OrtStatus* GetOnnxTypeFromTypeInfo(const OrtTypeInfo* type_info, enum ONNXType* out)
    public delegate* unmanaged<nint, OrtValueType*, nint> GetOnnxTypeFromTypeInfo => (delegate* unmanaged<nint, OrtValueType*, nint>)_table[56];

    // 60: OrtStatus* GetTensorElementType(const OrtTensorTypeAndShapeInfo* info, enum ONNXTensorElementDataType* out)
    public delegate* unmanaged<nint, OrtElementType*, nint> GetTensorElementType => (delegate* unmanaged<nint, OrtElementType*, nint>)_table[60];

    // 61: OrtStatus* GetDimensionsCount(const OrtTensorTypeAndShapeInfo* info, size_t* out)
    public delegate* unmanaged<nint, nuint*, nint> GetDimensionsCount => (delegate* unmanaged<nint, nuint*, nint>)_table[61];

    // 62: OrtStatus* GetDimensions(const OrtTensorTypeAndShapeInfo* info, int64_t* dim_values, size_t dim_values_length)
    //     Symbolic or unknown dimensions come back as -1.
    public delegate* unmanaged<nint, long*, nuint, nint> GetDimensions => (delegate* unmanaged<nint, long*, nuint, nint>)_table[62];

    // 64: OrtStatus* GetTensorShapeElementCount(const OrtTensorTypeAndShapeInfo* info, size_t* out)
    public delegate* unmanaged<nint, nuint*, nint> GetTensorShapeElementCount => (delegate* unmanaged<nint, nuint*, nint>)_table[64];

    // 65: OrtStatus* GetTensorTypeAndShape(const OrtValue* value, OrtTensorTypeAndShapeInfo** out)
    public delegate* unmanaged<nint, nint*, nint> GetTensorTypeAndShape => (delegate* unmanaged<nint, nint*, nint>)_table[65];

    // 69: OrtStatus* CreateCpuMemoryInfo(enum OrtAllocatorType type, enum OrtMemType mem_type, OrtMemoryInfo** out)
    public delegate* unmanaged<int, int, nint*, nint> CreateCpuMemoryInfo => (delegate* unmanaged<int, int, nint*, nint>)_table[69];

    // 76: OrtStatus* AllocatorFree(OrtAllocator* ort_allocator, void* p)
    public delegate* unmanaged<nint, void*, nint> AllocatorFree => (delegate* unmanaged<nint, void*, nint>)_table[76];

    // 78: OrtStatus* GetAllocatorWithDefaultOptions(OrtAllocator** out)
    //     A process-wide allocator owned by ONNX Runtime; never released.
    public delegate* unmanaged<nint*, nint> GetAllocatorWithDefaultOptions => (delegate* unmanaged<nint*, nint>)_table[78];

    // 92: void ReleaseEnv(OrtEnv* input)
    public delegate* unmanaged<nint, void> ReleaseEnv => (delegate* unmanaged<nint, void>)_table[92];

    // 93: void ReleaseStatus(OrtStatus* input)
    public delegate* unmanaged<nint, void> ReleaseStatus => (delegate* unmanaged<nint, void>)_table[93];

    // 94: void ReleaseMemoryInfo(OrtMemoryInfo* input)
    public delegate* unmanaged<nint, void> ReleaseMemoryInfo => (delegate* unmanaged<nint, void>)_table[94];

    // 95: void ReleaseSession(OrtSession* input)
    public delegate* unmanaged<nint, void> ReleaseSession => (delegate* unmanaged<nint, void>)_table[95];

    // 96: void ReleaseValue(OrtValue* input)
    public delegate* unmanaged<nint, void> ReleaseValue => (delegate* unmanaged<nint, void>)_table[96];

    // 97: void ReleaseRunOptions(OrtRunOptions* input)
    public delegate* unmanaged<nint, void> ReleaseRunOptions => (delegate* unmanaged<nint, void>)_table[97];

    // 98: void ReleaseTypeInfo(OrtTypeInfo* input)
    public delegate* unmanaged<nint, void> ReleaseTypeInfo => (delegate* unmanaged<nint, void>)_table[98];

    // 99: void ReleaseTensorTypeAndShapeInfo(OrtTensorTypeAndShapeInfo* input)
    public delegate* unmanaged<nint, void> ReleaseTensorTypeAndShapeInfo => (delegate* unmanaged<nint, void>)_table[99];

    // 100: void ReleaseSessionOptions(OrtSessionOptions* input)
    public delegate* unmanaged<nint, void> ReleaseSessionOptions => (delegate* unmanaged<nint, void>)_table[100];

    // 125: OrtStatus* GetAvailableProviders(char*** out_ptr, int* provider_length)
    public delegate* unmanaged<byte***, int*, nint> GetAvailableProviders => (delegate* unmanaged<byte***, int*, nint>)_table[125];

    // 126: OrtStatus* ReleaseAvailableProviders(char** ptr, int providers_length)
    public delegate* unmanaged<byte**, int, nint> ReleaseAvailableProviders => (delegate* unmanaged<byte**, int, nint>)_table[126];

    // 130: OrtStatus* AddSessionConfigEntry(OrtSessionOptions* options, const char* config_key, const char* config_value)
    public delegate* unmanaged<nint, byte*, byte*, nint> AddSessionConfigEntry => (delegate* unmanaged<nint, byte*, byte*, nint>)_table[130];

    // 165: OrtStatus* AddRunConfigEntry(OrtRunOptions* options, const char* config_key, const char* config_value)
    public delegate* unmanaged<nint, byte*, byte*, nint> AddRunConfigEntry => (delegate* unmanaged<nint, byte*, byte*, nint>)_table[165];

    // 204: OrtStatus* SessionOptionsAppendExecutionProvider_CUDA_V2(OrtSessionOptions* options, const OrtCUDAProviderOptionsV2* cuda_options)
    public delegate* unmanaged<nint, nint, nint> SessionOptionsAppendExecutionProvider_CUDA_V2 => (delegate* unmanaged<nint, nint, nint>)_table[204];

    // 205: OrtStatus* CreateCUDAProviderOptions(OrtCUDAProviderOptionsV2** out)
    public delegate* unmanaged<nint*, nint> CreateCUDAProviderOptions => (delegate* unmanaged<nint*, nint>)_table[205];

    // 206: OrtStatus* UpdateCUDAProviderOptions(OrtCUDAProviderOptionsV2* cuda_options, const char* const* provider_options_keys,
    //                                           const char* const* provider_options_values, size_t num_keys)
    public delegate* unmanaged<nint, byte**, byte**, nuint, nint> UpdateCUDAProviderOptions => (delegate* unmanaged<nint, byte**, byte**, nuint, nint>)_table[206];

    // 208: void ReleaseCUDAProviderOptions(OrtCUDAProviderOptionsV2* input)
    public delegate* unmanaged<nint, void> ReleaseCUDAProviderOptions => (delegate* unmanaged<nint, void>)_table[208];

    /// <summary>
    /// Turns an <c>OrtStatus*</c> into an exception: null means success; anything else is read, released
    /// and thrown as <see cref="OnnxRuntimeException"/>.
    /// </summary>
    public void Check(nint status)
    {
        if (status != 0) throw ToException(status);
    }

    /// <summary>Reads and releases a non-null status.</summary>
    public OnnxRuntimeException ToException(nint status)
    {
        try
        {
            var code = GetErrorCode(status);
            var message = Utf8.ToString(GetErrorMessage(status));
            return new OnnxRuntimeException(code, string.IsNullOrEmpty(message) ? $"ONNX Runtime reported {code} without a message." : message);
        }
        finally
        {
            ReleaseStatus(status);
        }
    }
}
