namespace Embeddings.Server.Http;

/// <summary>The per-request settings TEI's embedding routes share: truncation and the prompt.</summary>
internal sealed record TeiParameters(TruncationPolicy Truncation, string? PromptName)
{
    /// <summary>Reads <c>truncate</c> (default: the server's <c>auto-truncate</c>), <c>truncation_direction</c> and <c>prompt_name</c>.</summary>
    public static TeiParameters Read(JsonBody body, ServerSettings settings)
    {
        bool truncate = body.Bool("truncate") ?? settings.AutoTruncate;
        switch (body.String("truncation_direction"))
        {
            case null or "right" or "Right":
                break;
            case "left" or "Left":
                throw ApiException.Validation(
                    "truncation_direction \"left\" is not supported: texts are cut on the side the model's tokenizer_config.json names (the right, unless it says otherwise).");
            default:
                throw ApiException.Validation("`truncation_direction` must be \"left\" or \"right\".");
        }
        return new TeiParameters(truncate ? TruncationPolicy.Truncate : TruncationPolicy.Error, body.String("prompt_name"));
    }

    /// <summary>
    /// The prompt text for routes whose library call takes no prompt (token and sparse vectors, tokenize): the named
    /// prompt, else the model's default prompt, else none, as Embed resolves it.
    /// </summary>
    public static string PromptText(EmbedderInfo info, string? promptName)
    {
        string? name = promptName ?? info.DefaultPromptName;
        if (name is null) return "";
        if (info.Prompts.TryGetValue(name, out var prompt)) return prompt;
        string known = info.Prompts.Count == 0 ? "the model defines no prompts" : "known prompts: " + string.Join(", ", info.Prompts.Keys);
        throw ApiException.Validation($"Unknown prompt name \"{name}\"; {known}.");
    }

    /// <summary>The optional <c>dimensions</c> field: Matryoshka truncation to at most the model's width.</summary>
    public static int? Dimensions(JsonBody body, EmbedderInfo info)
    {
        int? dimensions = body.PositiveInt("dimensions");
        if (dimensions > info.Dimensions)
            throw ApiException.Validation($"`dimensions` is {dimensions}, but the model's vectors have {info.Dimensions}.");
        return dimensions;
    }

    /// <summary><paramref name="texts"/> with the prompt in front of each.</summary>
    public string[] Prompted(EmbedderInfo info, string[] texts)
    {
        string prompt = PromptText(info, PromptName);
        return prompt.Length == 0 ? texts : texts.Select(text => prompt + text).ToArray();
    }
}
