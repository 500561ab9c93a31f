using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.PreTokenizers;

/// <summary>
/// The <c>UnicodeScripts</c> pre-tokenizer (SentencePiece style): splits where the Unicode script changes,
/// treating Hiragana, Katakana and U+30FC as Han, and spaces and unassigned characters as belonging to any
/// script. As in the reference, characters of no script before the first scripted one are dropped.
/// </summary>
internal sealed class UnicodeScriptsPreTokenizer : PreTokenizer
{
    private const int Any = 0;
    private static readonly int Han = UnicodeScripts.Number("Han");
    private static readonly int Hiragana = UnicodeScripts.Number("Hiragana");
    private static readonly int Katakana = UnicodeScripts.Number("Katakana");

    private static readonly Segmenter ByScript = static (text, segments) =>
    {
        var last = -1; // no script seen yet
        var cut = -1;
        for (var i = 0; i < text.Length;)
        {
            var c = Utf16.CodePointAt(text, i, out var len);
            var script = FixedScript(c);
            if (script != Any && last != Any && last != script)
            {
                if (cut >= 0) segments.Add((cut, i, false));
                cut = i;
            }
            if (script != Any) last = script;
            i += len;
        }
        if (cut >= 0) segments.Add((cut, text.Length, false));
    };

    private static int FixedScript(int c)
    {
        if (c == 0x30FC) return Han;
        if (c == ' ') return Any;
        var script = UnicodeScripts.Of(c);
        return script == Hiragana || script == Katakana ? Han : script;
    }

    public override void PreTokenize(PreTokenizedString text) => Splitter.Split(text, SplitBehavior.Isolated, ByScript);
}
