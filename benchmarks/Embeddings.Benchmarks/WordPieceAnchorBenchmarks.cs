using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Embeddings.TestModels;
using Embeddings.Tokenization;
using FastBert = FastBertTokenizer.BertTokenizer;
using MlBert = Microsoft.ML.Tokenizers.BertTokenizer;

namespace Embeddings.Benchmarks;

/// <summary>
/// WordPiece against the .NET anchors on the 3,200-passage corpus sample: this project's ids-only path (baseline)
/// and full encodings with offsets, FastBertTokenizer and Microsoft.ML.Tokenizers' BertTokenizer. The
/// "ids identical" column counts the passages on which each one's ids equal this project's full encoding (which
/// matches Hugging Face tokenizers on the fixtures): a faster tokenizer that disagrees does not count.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Configuration))]
public class WordPieceAnchorBenchmarks
{
    private Contenders _c = null!;

    /// <summary>The tokenizer fixture to load.</summary>
    [Params("bert-uncased")]
    public string Family { get; set; } = "bert-uncased";

    [GlobalSetup]
    public void Setup() => _c = Contenders.Load(Family, 3200);

    [Benchmark(Baseline = true, Description = "this project EncodeToIds")]
    public long OursEncodeToIds()
    {
        long n = 0;
        foreach (var t in _c.Texts) n += _c.Ours.EncodeToIds(t, _c.Ids);
        return n;
    }

    [Benchmark(Description = "this project Encode (offsets)")]
    public long OursEncode()
    {
        long n = 0;
        foreach (var t in _c.Texts) n += _c.Ours.Encode(t).Length;
        return n;
    }

    [Benchmark(Description = "FastBertTokenizer Encode")]
    public long FastBertEncode()
    {
        long n = 0;
        foreach (var t in _c.Texts) n += _c.Fast.Encode(t, _c.LongIds, _c.Mask);
        return n;
    }

    [Benchmark(Description = "Microsoft.ML.Tokenizers EncodeToIds")]
    public long MlEncodeToIds()
    {
        long n = 0;
        foreach (var t in _c.Texts) n += _c.Ml.EncodeToIds(t, addSpecialTokens: true).Count;
        return n;
    }

    /// <summary>The tokenizers and buffers for one family and sample.</summary>
    internal sealed class Contenders
    {
        public required string[] Texts { get; init; }
        public required Tokenizer Ours { get; init; }
        public required FastBert Fast { get; init; }
        public required MlBert Ml { get; init; }
        public required int[] Ids { get; init; }
        public required long[] LongIds { get; init; }
        public required long[] Mask { get; init; }

        public static Contenders Load(string family, int passages)
        {
            var file = Path.Combine(Fixtures.TokenizerDir(family), "tokenizer.json");
            var texts = CorpusSample.Take(passages);
            var size = 3 * texts.Max(t => t.Length) + 16;
            var fast = new FastBert();
            fast.LoadTokenizerJsonAsync(file).GetAwaiter().GetResult();
            return new Contenders
            {
                Texts = texts, Ours = Tokenizer.FromFile(file), Fast = fast, Ml = WordPieceAnchors.LoadMl(file),
                Ids = new int[size], LongIds = new long[size], Mask = new long[size],
            };
        }

        /// <summary>Passages whose ids from <paramref name="method"/> equal this project's full encoding.</summary>
        public int Agreeing(string method)
        {
            var agree = 0;
            foreach (var t in Texts)
            {
                var expected = Ours.Encode(t).Ids;
                var same = method switch
                {
                    nameof(OursEncodeToIds) => expected.AsSpan().SequenceEqual(Ids.AsSpan(0, Ours.EncodeToIds(t, Ids))),
                    nameof(OursEncode) => true,
                    nameof(FastBertEncode) => expected.Select(i => (long)i).SequenceEqual(LongIds.Take(Fast.Encode(t, LongIds, Mask))),
                    _ => expected.SequenceEqual(Ml.EncodeToIds(t, addSpecialTokens: true)),
                };
                if (same) agree++;
            }
            return agree;
        }
    }

    private sealed class Configuration : ManualConfig
    {
        public Configuration() => AddColumn(new IdsAgreementColumn());
    }

    /// <summary>Computed in the host process, once per family: the agreement does not depend on timing.</summary>
    private sealed class IdsAgreementColumn : IColumn
    {
        private readonly Dictionary<(string, string), string> _values = [];

        public string Id => nameof(IdsAgreementColumn);
        public string ColumnName => "ids identical";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => false;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Passages whose ids equal this project's full encoding (Hugging Face ids on the fixtures)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            var family = (string)benchmarkCase.Parameters["Family"];
            var method = benchmarkCase.Descriptor.WorkloadMethod.Name;
            lock (_values)
            {
                if (!_values.TryGetValue((family, method), out var value))
                {
                    var contenders = Contenders.Load(family, 3200);
                    _values[(family, method)] = value = $"{contenders.Agreeing(method)}/{contenders.Texts.Length}";
                }
                return value;
            }
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
    }
}
