namespace Embeddings.Server.Http;

/// <summary>What TEI's embedding routes (/embed, /embed_all, /embed_sparse) share: the inputs, truncation and the prompt.</summary>
internal sealed record TeiEmbedRequest(string[] Texts, OverlongInputPolicy Truncation, string? PromptName)
{
    /// <summary>True when the inputs were token ids: they are embedded as given, without a prompt.</summary>
    public bool FromTokenIds { get; init; }

    /// <summary>Reads <c>inputs</c> (texts, or token ids when <paramref name="model"/> is given), <c>truncate</c>
    /// (default: the server's <c>auto-truncate</c>), <c>truncation_direction</c> and <c>prompt_name</c>.</summary>
    /// <param name="body">The request.</param>
    /// <param name="settings">The server's limits.</param>
    /// <param name="model">The model, for token-id inputs and left truncation; without it both are refused (422).</param>
    public static TeiEmbedRequest Read(JsonBody body, ServerSettings settings, Embedder? model = null)
    {
        var inputs = body.Required("inputs");
        bool fromIds = model is not null && TokenIdInputs.AreTokenIds(inputs);
        var texts = fromIds
            ? TokenIdInputs.Texts(inputs, "inputs", settings.MaxClientBatchSize, model!.Tokenizer)
            : RequestInputs.Texts(inputs, "inputs", settings.MaxClientBatchSize);
        bool truncate = body.Bool("truncate") ?? settings.AutoTruncate;
        string? promptName = body.String("prompt_name");
        switch (body.String("truncation_direction"))
        {
            case null or "right" or "Right":
                break;
            case "left" or "Left" when model is not null:
                // Cut here only when truncating; with truncation off, a text that does not fit is refused either way.
                if (truncate) texts = LeftTruncation.Cut(texts, model.Tokenizer, model.Info.MaxSequenceLength, fromIds ? "" : PromptText(model.Info, promptName));
                break;
            case "left" or "Left":
                throw ApiException.Validation("truncation_direction \"left\" is not supported on this route.");
            default:
                throw ApiException.Validation("`truncation_direction` must be \"left\" or \"right\".");
        }
        return new TeiEmbedRequest(texts, truncate ? OverlongInputPolicy.Truncate : OverlongInputPolicy.Error, promptName) { FromTokenIds = fromIds };
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

    /// <summary>The texts with the prompt in front of each (none for token-id inputs).</summary>
    public string[] PromptedTexts(EmbedderInfo info)
    {
        if (FromTokenIds) return Texts;
        string prompt = PromptText(info, PromptName);
        return prompt.Length == 0 ? Texts : Texts.Select(text => prompt + text).ToArray();
    }
}
