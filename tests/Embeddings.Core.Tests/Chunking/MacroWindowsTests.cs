using Embeddings.Chunking;

namespace Embeddings.Core.Tests.Chunking;

public class MacroWindowsTests
{
    [Fact]
    public void A_document_that_fits_gets_one_window()
    {
        Assert.Equal([new MacroWindow(0, 10)], MacroWindows.Plan(10, 10, 3));
        Assert.Equal([new MacroWindow(0, 0)], MacroWindows.Plan(0, 10, 3));
    }

    [Theory]
    [InlineData(25, 10, 4)]
    [InlineData(1000, 510, 127)]
    [InlineData(11, 10, 0)]
    [InlineData(5000, 64, 63)]
    public void Windows_cover_every_token_with_the_requested_overlap(int tokens, int window, int overlap)
    {
        var windows = MacroWindows.Plan(tokens, window, overlap);
        Assert.All(windows, w => Assert.True(w.Length == window && w.Start >= 0 && w.End <= tokens));
        Assert.Equal(0, windows[0].Start);
        Assert.Equal(tokens, windows[^1].End);
        for (int i = 1; i < windows.Length; i++)
            Assert.True(windows[i].Start <= windows[i - 1].End - overlap || i == windows.Length - 1 && windows[i].Start <= windows[i - 1].End);
        var owner = MacroWindows.Assign(tokens, windows);
        for (int p = 0; p < tokens; p++)
        {
            var w = windows[owner[p]];
            Assert.InRange(p, w.Start, w.End - 1);
            int context = Math.Min(p - w.Start, w.End - 1 - p);
            Assert.All(windows.Where(x => p >= x.Start && p < x.End), x => Assert.True(Math.Min(p - x.Start, x.End - 1 - p) <= context));
        }
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MacroWindows.Plan(10, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MacroWindows.Plan(10, 5, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => MacroWindows.Plan(-1, 5, 1));
    }
}
