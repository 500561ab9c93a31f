using System.Text.Json;

namespace Embeddings.Models;

/// <summary>
/// The parts of <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c> that matter for embedding.
/// </summary>
public sealed record TokenizerSettings
{
    /// <summary><c>model_max_length</c>, or null when absent or larger than <see cref="ModelFolder.MaxSupportedSequenceLength"/>
    /// (transformers' "no limit" placeholder <c>int(1e30)</c>, which many files carry).</summary>
    public int? ModelMaxLength { get; init; }

    /// <summary><c>padding_side</c>; null when the file does not say.</summary>
    public SequenceSide? PaddingSide { get; init; }

    /// <summary><c>truncation_side</c>; null when the file does not say.</summary>
    public SequenceSide? TruncationSide { get; init; }

    /// <summary>The padding token's text (<c>pad_token</c>), when declared.</summary>
    public string? PadToken { get; init; }

    /// <summary>The mask token's text (<c>mask_token</c>), when declared: the default query expansion token.</summary>
    public string? MaskToken { get; init; }

    /// <summary>The end-of-sequence token's text (<c>eos_token</c>), when declared.</summary>
    public string? EosToken { get; init; }

    /// <summary><c>do_lower_case</c>, when declared (used for folders that only have vocab.txt).</summary>
    public bool? DoLowerCase { get; init; }

    /// <summary>Reads both files; either may be missing.</summary>
    /// <param name="tokenizerConfigPath">tokenizer_config.json.</param>
    /// <param name="specialTokensMapPath">special_tokens_map.json.</param>
    public static TokenizerSettings Load(string tokenizerConfigPath, string specialTokensMapPath)
    {
        var settings = new TokenizerSettings();
        using (var document = JsonConfigFile.TryRead(tokenizerConfigPath))
        {
            if (document is not null)
            {
                var root = JsonConfigFile.RootObject(document, tokenizerConfigPath);
                long? maxLength = JsonConfigFile.Integer(root, "model_max_length", tokenizerConfigPath);
                settings = settings with
                {
                    // Beyond the supported length it can only be a "no limit" placeholder (transformers writes int(1e30)).
                    ModelMaxLength = maxLength is > 0 and <= ModelFolder.MaxSupportedSequenceLength ? (int)maxLength.Value : null,
                    PaddingSide = ParseSide(JsonConfigFile.String(root, "padding_side", tokenizerConfigPath), "padding_side", tokenizerConfigPath),
                    TruncationSide = ParseSide(JsonConfigFile.String(root, "truncation_side", tokenizerConfigPath), "truncation_side", tokenizerConfigPath),
                    PadToken = TokenText(root, "pad_token", tokenizerConfigPath),
                    DoLowerCase = JsonConfigFile.Boolean(root, "do_lower_case", tokenizerConfigPath),
                    MaskToken = TokenText(root, "mask_token", tokenizerConfigPath),
                    EosToken = TokenText(root, "eos_token", tokenizerConfigPath),
                };
            }
        }
        if (settings.PadToken is null || settings.MaskToken is null || settings.EosToken is null)
        {
            using var document = JsonConfigFile.TryRead(specialTokensMapPath);
            if (document is not null)
            {
                var map = JsonConfigFile.RootObject(document, specialTokensMapPath);
                settings = settings with
                {
                    PadToken = settings.PadToken ?? TokenText(map, "pad_token", specialTokensMapPath),
                    MaskToken = settings.MaskToken ?? TokenText(map, "mask_token", specialTokensMapPath),
                    EosToken = settings.EosToken ?? TokenText(map, "eos_token", specialTokensMapPath),
                };
            }
        }
        return settings;
    }

    private static SequenceSide? ParseSide(string? value, string name, string path) => value switch
    {
        null => null,
        "right" => SequenceSide.Right,
        "left" => SequenceSide.Left,
        _ => throw new ModelConfigurationException($"'{name}' should be \"left\" or \"right\", found \"{value}\".", path),
    };

    // Special tokens are written either as a plain string or as an AddedToken object with "content".
    private static string? TokenText(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object => JsonConfigFile.String(value, "content", path),
            JsonValueKind.Null => null,
            _ => throw new ModelConfigurationException($"'{name}' should be a string or a token object, found {value.ValueKind}.", path),
        };
    }
}
