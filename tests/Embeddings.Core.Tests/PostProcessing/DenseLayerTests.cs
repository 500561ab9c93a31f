using Embeddings.PostProcessing;

namespace Embeddings.Core.Tests.PostProcessing;

public class DenseLayerTests
{
    private static readonly float[] Weight = [1, 2, 3, /**/ -1, 0, 0.5f]; // [2 out × 3 in]
    private static readonly float[] Bias = [0.5f, -0.25f];
    private static readonly float[] Input = [0.1f, -0.2f, 0.3f];
    // W·x + b = [0.1 - 0.4 + 0.9 + 0.5, -0.1 + 0.15 - 0.25] = [1.1, -0.2]
    private static readonly double[] Linear = [1.1, -0.2];

    [Theory]
    [InlineData(DenseActivation.Identity)]
    [InlineData(DenseActivation.Tanh)]
    [InlineData(DenseActivation.Relu)]
    [InlineData(DenseActivation.Sigmoid)]
    [InlineData(DenseActivation.Silu)]
    [InlineData(DenseActivation.Gelu)]
    public void Applies_linear_map_then_activation(DenseActivation activation)
    {
        var layer = new DenseLayer(3, 2, Weight, Bias, activation);
        var got = new float[2];
        layer.Apply(Input, got);
        for (int i = 0; i < 2; i++)
        {
            double x = Linear[i];
            double expected = activation switch
            {
                DenseActivation.Identity => x,
                DenseActivation.Tanh => Math.Tanh(x),
                DenseActivation.Relu => Math.Max(0, x),
                DenseActivation.Sigmoid => 1 / (1 + Math.Exp(-x)),
                DenseActivation.Silu => x / (1 + Math.Exp(-x)),
                // Φ(1.1) = 0.864333939..., Φ(-0.2) = 0.420740290...
                _ => x * (i == 0 ? 0.8643339390536173 : 0.42074029056089696),
            };
            Assert.True(Math.Abs(expected - got[i]) < 1e-6, $"{activation}[{i}]: expected {expected}, got {got[i]}");
        }
    }

    [Fact]
    public void Residual_adds_the_input_when_widths_match()
    {
        var layer = new DenseLayer(2, 2, [1, 0, 0, 1], null, DenseActivation.Identity, useResidual: true);
        var got = new float[2];
        layer.Apply([3f, -4f], got);
        Assert.Equal(new[] { 6f, -8f }, got);
    }

    [Fact]
    public void Wrong_shapes_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new DenseLayer(3, 2, new float[5], null, DenseActivation.Tanh));
        Assert.Throws<ArgumentException>(() => new DenseLayer(3, 2, Weight, new float[3], DenseActivation.Tanh));
        var layer = new DenseLayer(3, 2, Weight, Bias, DenseActivation.Tanh);
        Assert.Throws<ArgumentException>(() => layer.Apply(new float[2], new float[2]));
    }
}
