namespace Embeddings.Models;

/// <summary>Choices made when opening a model folder.</summary>
public sealed class ModelFolderOptions
{
    /// <summary>
    /// The tokenizer comes from the caller (for example a tokenizer given to the runtime package's options), so a folder with neither
    /// tokenizer.json nor vocab.txt opens. Default false: such a folder is refused.
    /// </summary>
    public bool TokenizerSupplied { get; set; }

    /// <summary>A copy of these options.</summary>
    public ModelFolderOptions Clone() => (ModelFolderOptions)MemberwiseClone();
}
