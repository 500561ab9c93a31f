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
    private const int CacheCapacity = 50_000;
    private const int MaxCachedLength = 64;

    private readonly Vocabulary _vocabulary;
    private readonly LongKeyMap<Merge> _merges;
    private readonly int _unkId = -1;
    private readonly int[] _byteIds = new int[256];
    // Larger than the reference's 10,000 words per thread: results do not depend on it, throughput does.
    private readonly WordCache _cache = new(CacheCapacity, MaxCachedLength);

    [ThreadStatic] private static Workspace? t_workspace;

    public BpeModel(Vocabulary vocabulary, IReadOnlyList<(string A, string B)> merges, BpeOptions options)
    {
        _vocabulary = vocabulary;
        Options = options;
        if (options.UnkToken is { } unk && vocabulary.TryGetId(unk, out var unkId)) _unkId = unkId;
        for (var b = 0; b < 256; b++)
            _byteIds[b] = vocabulary.TryGetId($"<0x{b:X2}>", out var id) ? id : -1;

        var prefixLength = options.ContinuingSubwordPrefix?.Length ?? 0;
        _merges = new LongKeyMap<Merge>(merges.Count);
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
            _merges.Set(Key(aId, bId), new Merge(rank, newId));
        }
    }

    public BpeOptions Options { get; }

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
            if (_cache.TryGet(text, output)) return;
        }

        var work = t_workspace ??= new Workspace();
        work.Count = 0;
        BuildSymbols(text, work);
        MergeAll(work, dropout ? Options.Dropout!.Value : 0f);

        var symbols = work.Symbols;
        var first = output.Count;
        for (var i = 0; i < work.Count; i++)
            if (symbols[i].Alive) output.Add(symbols[i].Id, symbols[i].Start, symbols[i].End);
        if (!dropout) _cache.Add(text, output, first);
    }

    private void BuildSymbols(ReadOnlySpan<char> text, Workspace symbols)
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

    private static void Add(Workspace work, Symbol symbol)
    {
        if (work.Count == work.Symbols.Length) Array.Resize(ref work.Symbols, work.Symbols.Length * 2);
        var index = work.Count++;
        symbol.Prev = index - 1;
        symbol.Next = -1;
        symbol.Alive = true;
        if (index > 0) work.Symbols[index - 1].Next = index;
        work.Symbols[index] = symbol;
    }

    // Applies merges lowest rank first (leftmost first among equal ranks) with a binary heap keyed by
    // (rank, position); entries made stale by earlier merges are skipped when they surface.
    private void MergeAll(Workspace work, float dropout)
    {
        if (work.Count < 2) return;
        var symbols = work.Symbols;
        work.HeapCount = 0;
        work.Skipped.Clear();
        for (var i = 0; i + 1 < work.Count; i++)
            if (_merges.TryGetValue(Key(symbols[i].Id, symbols[i + 1].Id), out var m))
                work.Push(m.Rank, i, m.NewId);

        while (work.TryPop(out var rank, out var position, out var newId))
        {
            if (dropout > 0f)
            {
                if (Random.Shared.NextSingle() < dropout)
                {
                    work.Skipped.Add((rank, position, newId));
                    continue;
                }
                foreach (var (r, p, n) in work.Skipped) work.Push(r, p, n);
                work.Skipped.Clear();
            }

            ref var current = ref symbols[position];
            if (!current.Alive || current.Next < 0) continue;
            var rightIndex = current.Next;
            ref var right = ref symbols[rightIndex];
            if (!_merges.TryGetValue(Key(current.Id, right.Id), out var check) || check.NewId != newId) continue;

            current.Id = newId;
            current.End = right.End;
            current.Next = right.Next;
            right.Alive = false;
            if (current.Next >= 0) symbols[current.Next].Prev = position;
            if (current.Prev >= 0 && _merges.TryGetValue(Key(symbols[current.Prev].Id, current.Id), out var left))
                work.Push(left.Rank, current.Prev, left.NewId);
            if (current.Next >= 0 && _merges.TryGetValue(Key(current.Id, symbols[current.Next].Id), out var next))
                work.Push(next.Rank, position, next.NewId);
        }
    }

    private static long Key(int a, int b) => ((long)a << 32) | (uint)b;

    private readonly record struct Merge(int Rank, int NewId);

    /// <summary>Per-thread scratch space: the symbols of the word being merged and the merge heap.</summary>
    private sealed class Workspace
    {
        public Symbol[] Symbols = new Symbol[64];
        public int Count;
        public long[] HeapKeys = new long[64];
        public int[] HeapIds = new int[64];
        public int HeapCount;
        public readonly List<(int Rank, int Position, int NewId)> Skipped = [];

        public void Push(int rank, int position, int newId)
        {
            if (HeapCount == HeapKeys.Length)
            {
                Array.Resize(ref HeapKeys, HeapCount * 2);
                Array.Resize(ref HeapIds, HeapCount * 2);
            }
            var key = ((long)rank << 32) | (uint)position;
            var i = HeapCount++;
            while (i > 0)
            {
                var parent = (i - 1) >> 1;
                if (HeapKeys[parent] <= key) break;
                HeapKeys[i] = HeapKeys[parent];
                HeapIds[i] = HeapIds[parent];
                i = parent;
            }
            HeapKeys[i] = key;
            HeapIds[i] = newId;
        }

        public bool TryPop(out int rank, out int position, out int newId)
        {
            if (HeapCount == 0)
            {
                rank = position = newId = 0;
                return false;
            }
            var top = HeapKeys[0];
            rank = (int)(top >> 32);
            position = (int)(uint)top;
            newId = HeapIds[0];
            var lastKey = HeapKeys[--HeapCount];
            var lastId = HeapIds[HeapCount];
            var i = 0;
            while (true)
            {
                var child = 2 * i + 1;
                if (child >= HeapCount) break;
                if (child + 1 < HeapCount && HeapKeys[child + 1] < HeapKeys[child]) child++;
                if (HeapKeys[child] >= lastKey) break;
                HeapKeys[i] = HeapKeys[child];
                HeapIds[i] = HeapIds[child];
                i = child;
            }
            HeapKeys[i] = lastKey;
            HeapIds[i] = lastId;
            return true;
        }
    }

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
