using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Embeddings.TestModels;
using FsCheck;
using FsCheck.Fluent;

namespace Embeddings.Reliability.Tests.Support;

/// <summary>
/// The configuration files of a sentence-transformers model folder with every module kind (Transformer, Pooling,
/// Dense with its safetensors weights, Normalize), as bytes, for mutation. The JSON files come from the
/// bert-mean-tiny fixture; the Dense module is made here. tokenizer.json and the ONNX file are placeholders: the
/// folder reader only checks they exist, and the tests bring their own tokenizer and backend.
/// </summary>
internal sealed class ModelFolderFiles
{
    /// <summary>The mutable files, in a fixed order (an edit picks one by index).</summary>
    public static readonly string[] Names =
    [
        "config.json", "tokenizer_config.json", "special_tokens_map.json", "modules.json", "sentence_bert_config.json",
        "config_sentence_transformers.json", "1_Pooling/config.json", "2_Dense/config.json", "2_Dense/model.safetensors",
    ];

    private readonly Dictionary<string, byte[]> _files;

    private ModelFolderFiles(Dictionary<string, byte[]> files) => _files = files;

    public static ModelFolderFiles Create()
    {
        string fixture = Fixtures.ModelDir("bert-mean-tiny");
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in new[] { "config.json", "tokenizer_config.json", "special_tokens_map.json", "sentence_bert_config.json", "config_sentence_transformers.json", "1_Pooling/config.json" })
            files[name] = File.ReadAllBytes(Path.Combine(fixture, name));
        files["modules.json"] = Encoding.UTF8.GetBytes("""
            [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
             {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
             {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"},
             {"idx": 3, "name": "3", "path": "3_Normalize", "type": "sentence_transformers.models.Normalize"}]
            """);
        files["2_Dense/config.json"] = Encoding.UTF8.GetBytes(
            """{"in_features": 32, "out_features": 16, "bias": true, "activation_function": "torch.nn.modules.activation.Tanh"}""");
        files["2_Dense/model.safetensors"] = SafeTensors(("linear.weight", [16, 32]), ("linear.bias", [16]));
        return new ModelFolderFiles(files);
    }

    /// <summary>Writes the files, changed by <paramref name="edits"/>, into an empty <paramref name="directory"/>.</summary>
    public void WriteTo(string directory, IEnumerable<FileEdit> edits)
    {
        var files = new Dictionary<string, byte[]?>(_files.Select(f => KeyValuePair.Create(f.Key, (byte[]?)f.Value)), StringComparer.Ordinal);
        foreach (var edit in edits)
        {
            string name = Names[edit.File % Names.Length];
            files[name] = edit.ApplyTo(name, files[name]);
        }
        foreach (var (name, content) in files)
        {
            if (content is null) continue;
            string path = Path.Combine(directory, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, JsonEdit.Finish(content));
        }
        File.WriteAllText(Path.Combine(directory, "tokenizer.json"), "{}");
        Directory.CreateDirectory(Path.Combine(directory, "onnx"));
        File.WriteAllBytes(Path.Combine(directory, "onnx", "model.onnx"), [0x08, 0x08]);
    }

    /// <summary>A safetensors file of float32 tensors filled with small deterministic values.</summary>
    private static byte[] SafeTensors(params (string Name, long[] Shape)[] tensors)
    {
        var header = new JsonObject();
        long offset = 0;
        foreach (var (name, shape) in tensors)
        {
            long bytes = shape.Aggregate(4L, (a, b) => a * b);
            header[name] = new JsonObject { ["dtype"] = "F32", ["shape"] = new JsonArray(shape.Select(d => (JsonNode)d).ToArray()), ["data_offsets"] = new JsonArray(offset, offset + bytes) };
            offset += bytes;
        }
        return SafeTensorsWithHeader(Encoding.UTF8.GetBytes(header.ToJsonString()), offset);
    }

    /// <summary>The 8-byte little-endian header length, the header, then <paramref name="dataBytes"/> bytes of values.</summary>
    public static byte[] SafeTensorsWithHeader(byte[] header, long dataBytes)
    {
        var file = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        for (long i = 0; i < dataBytes / 4; i++)
            BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan((int)(8 + header.Length + i * 4)), (i % 7 - 3) / 10f);
        return file;
    }
}

/// <summary>How a <see cref="FileEdit"/> changes its file.</summary>
internal enum FileEditMode
{
    /// <summary>A structural JSON edit (for safetensors, of its JSON header).</summary>
    Json,
    /// <summary>Byte edits.</summary>
    Bytes,
    /// <summary>The file is removed.</summary>
    Delete,
    /// <summary>The whole file becomes another JSON value.</summary>
    ReplaceWithValue,
}

/// <summary>One change to one file of a <see cref="ModelFolderFiles"/> set.</summary>
internal sealed record FileEdit(int File, FileEditMode Mode, JsonEdit Json, ByteEdit[] Bytes)
{
    public static Gen<FileEdit> Generator { get; } =
        from file in Gen.Choose(0, ModelFolderFiles.Names.Length - 1)
        from mode in Gen.Frequency(
            (6, Gen.Constant(FileEditMode.Json)), (2, Gen.Constant(FileEditMode.Bytes)),
            (1, Gen.Constant(FileEditMode.Delete)), (1, Gen.Constant(FileEditMode.ReplaceWithValue)))
        from json in JsonEdit.Generator
        from bytes in Gen.Choose(1, 3).SelectMany(count => ByteEdit.Generator.ArrayOf(count))
        select new FileEdit(file, mode, json, bytes);

    public byte[]? ApplyTo(string name, byte[]? content)
    {
        switch (Mode)
        {
            case FileEditMode.Delete:
                return null;
            case FileEditMode.ReplaceWithValue:
                return Encoding.UTF8.GetBytes(Json.Value);
            case FileEditMode.Bytes:
                return content is null ? null : Bytes.Aggregate(content, (bytes, edit) => edit.ApplyTo(bytes));
        }
        bool safeTensors = name.EndsWith(".safetensors", StringComparison.Ordinal);
        if (content is null || safeTensors && content.Length < 8) return content; // nothing structured left to edit
        int headerLength = safeTensors ? (int)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(content), (ulong)(content.Length - 8)) : 0;
        var text = Encoding.UTF8.GetString(safeTensors ? content.AsSpan(8, headerLength) : content);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (System.Text.Json.JsonException)
        {
            return content; // an earlier edit broke the JSON; a structural edit has nothing to hold on to
        }
        var edited = Encoding.UTF8.GetBytes(Json.ApplyTo(root)?.ToJsonString() ?? "null");
        return safeTensors ? ModelFolderFiles.SafeTensorsWithHeader(edited, content.Length - 8 - headerLength) : edited;
    }

    public override string ToString() => Mode switch
    {
        FileEditMode.Json => $"{ModelFolderFiles.Names[File % ModelFolderFiles.Names.Length]}: {Json}",
        FileEditMode.Bytes => $"{ModelFolderFiles.Names[File % ModelFolderFiles.Names.Length]}: {string.Join("; ", Bytes.Select(b => b.ToString()))}",
        FileEditMode.ReplaceWithValue => $"{ModelFolderFiles.Names[File % ModelFolderFiles.Names.Length]} replaced by {Json.Value}",
        _ => $"{ModelFolderFiles.Names[File % ModelFolderFiles.Names.Length]} deleted",
    };
}
