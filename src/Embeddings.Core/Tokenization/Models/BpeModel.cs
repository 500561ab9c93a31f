using System.Collections.Concurrent;
using System.Text;
using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.Models;

/// <summary>
/// Byte-pair encoding: a word starts as one symbol per character (with optional continuation prefix, end-of-word
/// suffix, byte fallback and unknown token), then the lowest-ranked applicable merge is applied until none is
/// left (leftmost first among equal ranks). Results for short words are cached.
/// </summary>
internal sealed class BpeModel : TokenizerModel
{
    private const int CacheCapacity = 10_000;
    private const int MaxCachedLength = 256;

    private readonly Vocabulary _vocabulary;
    private readonly Dictionary<long, Merge> _merges;
    private readonly int _unkId = -1;
    private readonly int[] _byteIds = new int[256];
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _cacheLookup;

    [ThreadStatic] private static PriorityQueue<Candidate, (int Rank, int Position)>? t_queue;
    [ThreadStatic] private static List<Candidate>? t_skipped;
    [ThreadStatic] private static List<Symbol>? t_symbols;

    public BpeModel(Vocabulary vocabulary, IReadOnlyList<(string A, string B)> merges, BpeOptions options)
    {
        _vocabulary = vocabulary;
        Options = options;
        if (options.UnkToken is { } unk && vocabulary.TryGetId(unk, out var unkId)) _unkId = unkId;
        for (var b = 0; b < 256; b++)
            _byteIds[b] = vocabulary.TryGetId($"<0x{b:X2}>", out var id) ? id : -1;

        var prefixLength = options.ContinuingSubwordPrefix?.Length ?? 0;
        _merges = new Dictionary<long, Merge>(merges.Count);
        for (var rank = 0; rank < merges.Count; rank++)
        {
            var (a, b) = merges[rank];
            if (!vocabulary.TryGetId(a, out var aId))
                throw new ArgumentException($"merge {rank}: '{a}' is not in the vocabulary", nameof(merges));
            if (!vocabulary.TryGetId(b, out var bId))
                throw new ArgumentException($"merge {rank}: '{b}' is not in the vocabulary", nameof(merges));
            if (b.Length < prefixLength)
                throw new ArgumentException($"merge {rank}: '{b}' is shorter than the continuation prefix", nameof(merges));
            var merged = string.Concat(a, b.AsSpan(prefixLength));
            if (!vocabulary.TryGetId(merged, out var newId))
                throw new ArgumentException($"merge {rank}: the merged token '{merged}' is not in the vocabulary", nameof(merges));
            _merges[Key(aId, bId)] = new Merge(rank, newId);
        }
        _cacheLookup = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public BpeOptions Options { get; }
    public Vocabulary Vocabulary => _vocabulary;
    public int MergeCount => _merges.Count;

    public override int VocabularySize => _vocabulary.Count;

    public override int? TokenToId(ReadOnlySpan<char> token) => _vocabulary.TryGetId(token, out var id) ? id : null;

    public override string? IdToToken(int id) => _vocabulary.Token(id);

    public override void Tokenize(ReadOnlySpan<char> text, TokenList output)
    {
        if (text.IsEmpty) return;
        var dropout = Options.Dropout is { } d && d > 0f;
        if (!dropout)
        {
            if (Options.IgnoreMerges && _vocabulary.TryGetId(text, out var whole))
            {
                output.Add(whole, 0, text.Length);
                return;
            }
            if (_cacheLookup.TryGetValue(text, out var cached))
            {
                for (var i = 0; i < cached.Length; i += 3) output.Add(cached[i], cached[i + 1], cached[i + 2]);
                return;
            }
        }

        var symbols = t_symbols ??= [];
        symbols.Clear();
        BuildSymbols(text, symbols);
        MergeAll(symbols, dropout ? Options.Dropout!.Value : 0f);

        var count = 0;
        foreach (var s in symbols)
            if (s.Alive)
            {
                output.Add(s.Id, s.Start, s.End);
                count++;
            }
        if (!dropout && text.Length < MaxCachedLength && _cache.Count < CacheCapacity)
        {
            var entry = new int[count * 3];
            var k = 0;
            foreach (var s in symbols)
                if (s.Alive)
                {
                    entry[k++] = s.Id;
                    entry[k++] = s.Start;
                    entry[k++] = s.End;
                }
            _cacheLookup.TryAdd(text, entry);
        }
    }

    private void BuildSymbols(ReadOnlySpan<char> text, List<Symbol> symbols)
    {
        var prefix = Options.ContinuingSubwordPrefix;
        var suffix = Options.EndOfWordSuffix;
        Span<char> buffer = stackalloc char[64];
        Span<byte> bytes = stackalloc byte[256];
        var hasUnk = false;
        Symbol unk = default;
        for (var i = 0; i < text.Length;)
        {
            Utf16.CodePointAt(text, i, out var len);
            var isFirst = i == 0;
            var isLast = i + len == text.Length;
            scoped ReadOnlySpan<char> key = text.Slice(i, len);
            if ((!isFirst && !string.IsNullOrEmpty(prefix)) || (isLast && !string.IsNullOrEmpty(suffix)))
            {
                var p = isFirst ? "" : prefix ?? "";
                var s = isLast ? suffix ?? "" : "";
                var total = p.Length + len + s.Length;
                var target = total <= buffer.Length ? buffer : new char[total];
                p.AsSpan().CopyTo(target);
                key.CopyTo(target[p.Length..]);
                s.AsSpan().CopyTo(target[(p.Length + len)..]);
                key = target[..total];
            }

            if (_vocabulary.TryGetId(key, out var id))
            {
                if (hasUnk)
                {
                    Add(symbols, unk);
                    hasUnk = false;
                }
                Add(symbols, new Symbol(id, i, i + len));
                i += len;
                continue;
            }
            if (Options.ByteFallback)
            {
                var n = System.Text.Encoding.UTF8.GetByteCount(key);
                var keyBytes = n <= bytes.Length ? bytes[..n] : new byte[n];
                System.Text.Encoding.UTF8.GetBytes(key, keyBytes);
                var all = true;
                foreach (var b in keyBytes) all &= _byteIds[b] >= 0;
                if (all)
                {
                    // Every byte token of a character covers the whole character.
                    foreach (var b in keyBytes) Add(symbols, new Symbol(_byteIds[b], i, i + len));
                    i += len;
                    continue;
                }
            }
            if (Options.UnkToken is not null && _unkId >= 0)
            {
                if (hasUnk && Options.FuseUnk) unk.End = i + len;
                else
                {
                    if (hasUnk) Add(symbols, unk);
                    unk = new Symbol(_unkId, i, i + len);
                    hasUnk = true;
                }
            }
            i += len;
        }
        if (hasUnk) Add(symbols, unk);
    }

    private static void Add(List<Symbol> symbols, Symbol symbol)
    {
        var index = symbols.Count;
        symbol.Prev = index - 1;
        symbol.Next = -1;
        symbol.Alive = true;
        if (index > 0)
        {
            var last = symbols[index - 1];
            last.Next = index;
            symbols[index - 1] = last;
        }
        symbols.Add(symbol);
    }

    private void MergeAll(List<Symbol> symbols, float dropout)
    {
        if (symbols.Count < 2) return;
        var queue = t_queue ??= new PriorityQueue<Candidate, (int, int)>(Comparer<(int, int)>.Default);
        var skipped = t_skipped ??= [];
        queue.Clear();
        skipped.Clear();
        for (var i = 0; i + 1 < symbols.Count; i++)
            if (_merges.TryGetValue(Key(symbols[i].Id, symbols[i + 1].Id), out var m))
                queue.Enqueue(new Candidate(i, m.Rank, m.NewId), (m.Rank, i));

        while (queue.TryDequeue(out var top, out _))
        {
            if (dropout > 0f && Random.Shared.NextSingle() < dropout)
            {
                skipped.Add(top);
                continue;
            }
            foreach (var s in skipped) queue.Enqueue(s, (s.Rank, s.Position));
            skipped.Clear();

            var current = symbols[top.Position];
            if (!current.Alive || current.Next < 0) continue;
            var right = symbols[current.Next];
            if (!_merges.TryGetValue(Key(current.Id, right.Id), out var check) || check.NewId != top.NewId) continue;

            var rightIndex = current.Next;
            current.Id = top.NewId;
            current.End = right.End;
            current.Next = right.Next;
            symbols[top.Position] = current;
            right.Alive = false;
            symbols[rightIndex] = right;
            if (right.Next >= 0)
            {
                var after = symbols[right.Next];
                after.Prev = top.Position;
                symbols[right.Next] = after;
            }
            if (current.Prev >= 0 && _merges.TryGetValue(Key(symbols[current.Prev].Id, current.Id), out var left))
                queue.Enqueue(new Candidate(current.Prev, left.Rank, left.NewId), (left.Rank, current.Prev));
            if (current.Next >= 0 && _merges.TryGetValue(Key(current.Id, symbols[current.Next].Id), out var next))
                queue.Enqueue(new Candidate(top.Position, next.Rank, next.NewId), (next.Rank, top.Position));
        }
    }

    private static long Key(int a, int b) => ((long)a << 32) | (uint)b;

    private readonly record struct Merge(int Rank, int NewId);

    private readonly record struct Candidate(int Position, int Rank, int NewId);

    private struct Symbol(int id, int start, int end)
    {
        public int Id = id;
        public int Start = start;
        public int End = end;
        public int Prev;
        public int Next;
        public bool Alive;
    }
}

/// <summary>The settings of a BPE model besides its vocabulary and merges.</summary>
internal sealed record BpeOptions(
    string? UnkToken = null,
    string? ContinuingSubwordPrefix = null,
    string? EndOfWordSuffix = null,
    bool FuseUnk = false,
    bool ByteFallback = false,
    bool IgnoreMerges = false,
    float? Dropout = null);
