using System.Text.Json;
using Embeddings.Inference;

namespace Embeddings.Compare;

/// <summary>
/// Writes recorded batches for the Node side of the comparison: <c>PREFIX.json</c> lists each batch's size,
/// length and byte offset, <c>PREFIX.bin</c> holds, per batch, one little-endian int64 array per model input in
/// the listed order (token type ids are zeros when the library fed none, as the backend does).
/// </summary>
internal static class PlanFile
{
    public static void Write(string prefix, ModelSignature signature, string outputName,
        IReadOnlyList<RecordedBatch> batches, IReadOnlyList<RecordedBatch> singles)
    {
        var inputs = new List<string> { "input_ids", "attention_mask" };
        if (signature.Has(ModelInputs.TokenTypeIds)) inputs.Add("token_type_ids");
        if (signature.Has(ModelInputs.PositionIds)) inputs.Add("position_ids");

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(prefix))!);
        using var data = new BinaryWriter(File.Create(prefix + ".bin"));
        object Describe(RecordedBatch batch)
        {
            long offset = data.BaseStream.Position;
            foreach (var input in inputs)
            {
                var values = input switch
                {
                    "input_ids" => batch.InputIds,
                    "attention_mask" => batch.AttentionMask,
                    "token_type_ids" => batch.TokenTypeIds ?? new long[batch.PaddedTokens],
                    _ => batch.PositionIds ?? throw new InvalidOperationException("The model takes position_ids but none were recorded."),
                };
                foreach (long value in values) data.Write(value);
            }
            return new { size = batch.BatchSize, length = batch.SequenceLength, offset, real_tokens = batch.RealTokens };
        }

        var description = new
        {
            inputs,
            output = outputName,
            batches = batches.Select(Describe).ToArray(),
            singles = singles.Select(Describe).ToArray(),
        };
        File.WriteAllText(prefix + ".json", JsonSerializer.Serialize(description));
    }
}
