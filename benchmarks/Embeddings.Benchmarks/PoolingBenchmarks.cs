using System.Globalization;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Embeddings.Pooling;

namespace Embeddings.Benchmarks;

/// <summary>
/// Pooling a whole batch output [B, T, H] the way the library does (one sequence at a time, straight from the
/// runtime's buffer into a destination row) against a plain scalar loop, and against reading the same bytes with
/// <see cref="TensorPrimitives.Sum(ReadOnlySpan{float})"/> (the most a kernel that reads every value can do).
/// Shapes: a MiniLM batch of short texts, a MiniLM batch of long texts, a base-model batch at full length.
/// Every position is a real token, as in length-sorted batches (padding ≈ 2%).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Configuration))]
public class PoolingBenchmarks
{
    private float[] _hidden = [];
    private long[] _mask = [];
    private float[] _destination = [];
    private int _batch, _length, _width;

    /// <summary>B×T×H.</summary>
    [Params("64x128x384", "32x256x384", "16x512x768")]
    public string Shape { get; set; } = "64x128x384";

    [GlobalSetup]
    public void Setup()
    {
        (_batch, _length, _width) = Parse(Shape);
        var random = new Random(1);
        _hidden = new float[_batch * _length * _width];
        for (int i = 0; i < _hidden.Length; i++) _hidden[i] = (float)(random.NextDouble() * 2 - 1);
        _mask = Enumerable.Repeat(1L, _length).ToArray();
        _destination = new float[_batch * _width];
    }

    [Benchmark(Baseline = true, Description = "mean, scalar loop")]
    public float MeanScalar()
    {
        int rowSize = _length * _width;
        for (int b = 0; b < _batch; b++)
        {
            var destination = _destination.AsSpan(b * _width, _width);
            destination.Clear();
            int count = 0;
            for (int t = 0; t < _length; t++)
            {
                if (_mask[t] == 0) continue;
                int offset = b * rowSize + t * _width;
                for (int h = 0; h < _width; h++) destination[h] += _hidden[offset + h];
                count++;
            }
            for (int h = 0; h < _width; h++) destination[h] /= count;
        }
        return _destination[0];
    }

    [Benchmark(Description = "mean, PoolingKernels")]
    public float Mean()
    {
        int rowSize = _length * _width;
        for (int b = 0; b < _batch; b++)
            PoolingKernels.Mean(_hidden.AsSpan(b * rowSize, rowSize), _mask, _width, _destination.AsSpan(b * _width, _width));
        return _destination[0];
    }

    [Benchmark(Description = "max, PoolingKernels")]
    public float Max()
    {
        int rowSize = _length * _width;
        for (int b = 0; b < _batch; b++)
            PoolingKernels.Max(_hidden.AsSpan(b * rowSize, rowSize), _mask, _width, _destination.AsSpan(b * _width, _width));
        return _destination[0];
    }

    [Benchmark(Description = "read only (TensorPrimitives.Sum)")]
    public float Read() => TensorPrimitives.Sum(_hidden);

    internal static (int B, int T, int H) Parse(string shape)
    {
        var parts = shape.Split('x').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return (parts[0], parts[1], parts[2]);
    }

    private sealed class Configuration : ManualConfig
    {
        public Configuration() => AddColumn(new ThroughputColumn(Bytes));

        private static long Bytes(BenchmarkCase benchmarkCase)
        {
            var (b, t, h) = Parse((string)benchmarkCase.Parameters["Shape"]);
            return (long)b * t * h * sizeof(float);
        }
    }
}

/// <summary>
/// Memory bandwidth on this machine, for reading the pooling numbers: one thread summing (reading) and copying a
/// 256 MB buffer, far larger than any cache.
/// </summary>
[Config(typeof(Configuration))]
public class MemoryBandwidthBenchmarks
{
    private const int Floats = 64 << 20; // 256 MB
    private float[] _source = [];
    private float[] _target = [];

    [GlobalSetup]
    public void Setup()
    {
        _source = new float[Floats];
        _target = new float[Floats];
        _source.AsSpan().Fill(1f);
        _target.AsSpan().Fill(0f);
    }

    [Benchmark(Description = "read 256 MB (TensorPrimitives.Sum)")]
    public float Read() => TensorPrimitives.Sum(_source);

    [Benchmark(Description = "copy 256 MB (read + write)")]
    public void Copy() => _source.AsSpan().CopyTo(_target);

    private sealed class Configuration : ManualConfig
    {
        public Configuration() => AddColumn(new ThroughputColumn(_ => (long)Floats * sizeof(float)));
    }
}
