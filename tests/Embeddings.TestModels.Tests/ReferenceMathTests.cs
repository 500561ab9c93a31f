using static Embeddings.TestModels.ReferenceMath;

namespace Embeddings.TestModels.Tests;

public class ReferenceMathTests
{
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.1, 0.1124629160182849)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(-1.5, -0.9661051464753108)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(3.5, 0.9999992569016276)]
    [InlineData(5.0, 0.9999999999984626)]
    [InlineData(-7.0, -1.0)]
    public void Erf_matches_tabulated_values(double x, double expected)
    {
        Assert.Equal(expected, Erf(x), 1e-14);
    }

    [Fact]
    public void Erf_is_odd_and_nan_stays_nan()
    {
        for (double x = 0; x < 6.5; x += 0.37) Assert.Equal(-Erf(x), Erf(-x));
        Assert.True(double.IsNaN(Erf(double.NaN)));
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(1.0, 0.8413447460685429)]
    [InlineData(-1.0, -0.15865525393145707)]
    [InlineData(2.0, 1.9544997361036416)]
    [InlineData(-3.0, -0.004049694094890287)]
    public void Gelu_is_x_times_the_normal_cdf(double x, double expected)
    {
        Assert.Equal(expected, Gelu(x), 1e-13);
    }

    [Fact]
    public void Linear_is_x_times_w_plus_b_with_w_stored_input_major()
    {
        // W = [[1, 2, 3], [4, 5, 6]] (2 inputs → 3 outputs), b = [0.5, 0, -1]; x = [1, -1] → [-2.5, -3, -4].
        var layer = new LinearWeights("l", 2, 3, [1, 2, 3, 4, 5, 6], [0.5f, 0, -1]);
        Assert.Equal([-2.5, -3, -4], Linear([1, -1], layer));
        Assert.Throws<ArgumentException>(() => Linear([1, 2, 3], layer));
    }

    [Fact]
    public void LayerNorm_of_a_known_vector()
    {
        // [1, 3]: mean 2, variance 1 → [-1, 1]; then γ = [2, 1], β = [0, 0.5] → [-2, 1.5].
        var norm = new NormWeights("n", [2, 1], [0, 0.5f]);
        var y = LayerNorm([1, 3], norm, 1e-12);
        Assert.Equal(-2, y[0], 1e-9);
        Assert.Equal(1.5, y[1], 1e-9);
    }

    [Fact]
    public void LayerNorm_with_unit_scale_gives_mean_zero_and_variance_one()
    {
        var x = new double[] { 0.3, -2, 7.5, 1, 1, 0.25, -4 };
        var y = LayerNorm(x, new NormWeights("n", Enumerable.Repeat(1f, x.Length).ToArray(), new float[x.Length]), 1e-12);
        Assert.Equal(0, y.Average(), 1e-12);
        Assert.Equal(1, y.Average(v => v * v), 1e-10);
    }

    [Fact]
    public void RmsNorm_divides_by_the_root_mean_square()
    {
        // [3, 4]: mean square 12.5 → [3, 4] / √12.5; γ = [1, 2].
        var y = RmsNorm([3, 4], [1f, 2f], 0);
        Assert.Equal(3 / Math.Sqrt(12.5), y[0], 1e-15);
        Assert.Equal(8 / Math.Sqrt(12.5), y[1], 1e-15);
    }

    [Fact]
    public void Softmax_of_known_scores_sums_to_one_and_ignores_shifts()
    {
        var p = Softmax([0, Math.Log(3)]);
        Assert.Equal(0.25, p[0], 1e-15);
        Assert.Equal(0.75, p[1], 1e-15);
        var shifted = Softmax([1000, 1000 + Math.Log(3)]);
        Assert.Equal(p[0], shifted[0], 1e-12);
        var many = Softmax([-1e300, 5, 2, -3, 0]);
        Assert.Equal(1, many.Sum(), 1e-15);
        Assert.Equal(0, many[0]);
        Assert.Throws<ArgumentException>(() => Softmax([]));
    }
}
