using Embeddings.Pooling;

namespace Embeddings.Core.Tests.Pooling;

public class PoolerTests
{
    [Fact]
    public void Concatenates_modes_in_the_given_order()
    {
        const int H = 3;
        float[] hidden = [1, 2, 3, /**/ 5, 0, -1, /**/ 9, 9, 9];
        long[] mask = [1, 1, 0];
        var pooler = new Pooler([PoolingMode.Cls, PoolingMode.Max, PoolingMode.Mean]);
        var got = new float[pooler.OutputDimension(H)];
        pooler.Pool(hidden, mask, H, got);
        Assert.Equal(new float[] { 1, 2, 3, 5, 2, 3, 3, 1, 1 }, got);
    }

    [Fact]
    public void Prompt_tokens_are_left_out_only_when_asked()
    {
        const int H = 2;
        float[] hidden = [10, 10, /**/ 20, 20, /**/ 1, 3, /**/ 3, 5];
        long[] mask = [1, 1, 1, 1];
        var with = new float[H];
        var without = new float[H];
        new Pooler([PoolingMode.Mean]).Pool(hidden, mask, H, with, promptTokens: 2);
        new Pooler([PoolingMode.Mean], includePrompt: false).Pool(hidden, mask, H, without, promptTokens: 2);
        Assert.Equal(new float[] { 8.5f, 9.5f }, with);
        Assert.Equal(new float[] { 2, 4 }, without);
    }

    [Fact]
    public void Needs_at_least_one_mode()
    {
        Assert.Throws<ArgumentException>(() => new Pooler([]));
    }
}
