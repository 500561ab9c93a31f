using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Embeddings.Models;
using Embeddings.MultiVector;
using Embeddings.Onnx.Tests.Support;
using Embeddings.TestModels;

namespace Embeddings.Onnx.Tests;

/// <summary>
/// EmbedMultiVector on the sentence-transformers 6 MultiVectorEncoder fixture (rows and MaxSim against the
/// reference) and on variants of it written to a temp folder (skiplist, allow-list, prompts, query expansion,
/// PyLate layout with a Dense chain).
/// </summary>
public sealed class MultiVectorTests
{
    private const string Model = "multivector-tiny";

    private static Embedder Load(string? directory = null) => OnnxEmbedder.Create(directory ?? Fixtures.ModelDir(Model));

    private static List<JsonElement> References(string type) =>
        File.ReadLines(Path.Combine(Fixtures.ModelDir(Model), "refs.jsonl"))
            .Where(l => !string.IsNullOrWhiteSpace(l))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("type").GetString() == type).ToList();

    private static float[][] Rows(JsonElement record) =>
        record.GetProperty("vectors").EnumerateArray().Select(v => v.EnumerateArray().Select(x => x.GetSingle()).ToArray()).ToArray();

    [FixtureTheory]
    [InlineData(MultiVectorRole.Query, "query")]
    [InlineData(MultiVectorRole.Document, "document")]
    public void Rows_match_the_multivector_encoder(MultiVectorRole role, string type)
    {
        using var embedder = Load();
        Assert.True(embedder.SupportsMultiVector);
        Assert.Equal(128, embedder.MultiVectorDimensions);
        var references = References(type);
        var results = embedder.EmbedMultiVector(references.Select(r => r.GetProperty("text").GetString()!).ToArray(), role);
        for (int i = 0; i < references.Count; i++)
        {
            var expected = Rows(references[i]);
            Assert.Equal(expected.Length, results[i].Count);
            for (int r = 0; r < expected.Length; r++)
            {
                var got = results[i][r].Span;
                for (int d = 0; d < expected[r].Length; d++)
                    Assert.True(Math.Abs(expected[r][d] - got[d]) <= 1e-4f, $"{type} {i} row {r} dim {d}: {expected[r][d]} vs {got[d]}");
            }
        }
    }

    [FixtureFact]
    public void MaxSim_matches_model_similarity()
    {
        using var embedder = Load();
        var scores = References("scores").Single();
        var queries = scores.GetProperty("queries").EnumerateArray().Select(q => q.GetString()!).ToArray();
        var documents = scores.GetProperty("documents").EnumerateArray().Select(q => q.GetString()!).ToArray();
        var expected = scores.GetProperty("maxsim").EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetSingle()).ToArray()).ToArray();
        var matrix = MaxSim.Matrix(embedder.EmbedMultiVector(queries, MultiVectorRole.Query), embedder.EmbedMultiVector(documents, MultiVectorRole.Document));
        for (int q = 0; q < queries.Length; q++)
            for (int d = 0; d < documents.Length; d++)
                Assert.True(Math.Abs(expected[q][d] - matrix[q][d]) <= 1e-3f, $"query {q} document {d}: {expected[q][d]} vs {matrix[q][d]}");

        // Reranking orders the same scores.
        var ranked = embedder.Rerank(queries[1], documents);
        Assert.Equal(Enumerable.Range(0, documents.Length).OrderByDescending(d => expected[1][d]), ranked.Select(r => r.Index));
        Assert.Equal(matrix[1][ranked[0].Index], ranked[0].Score);
    }

    [FixtureFact]
    public async Task Batched_rows_equal_single_rows_and_async_equals_sync()
    {
        using var embedder = Load();
        string[] texts = ["short", "Canberra is the capital city of Australia, not Sydney.", "a somewhat longer text, to make the batch pad the others", ""];
        var batched = embedder.EmbedMultiVector(texts, MultiVectorRole.Document);
        var asynchronous = await embedder.EmbedMultiVectorAsync(texts, MultiVectorRole.Document);
        for (int i = 0; i < texts.Length; i++)
        {
            var alone = embedder.EmbedMultiVector([texts[i]], MultiVectorRole.Document)[0];
            Assert.Equal(alone.Ids, batched[i].Ids);
            Assert.Equal(alone.Offsets, batched[i].Offsets);
            AssertClose(alone.Vectors.Span, batched[i].Vectors.Span, 1e-5f);
            AssertClose(alone.Vectors.Span, asynchronous[i].Vectors.Span, 1e-5f);
        }
        // Every row is unit length (token-level Normalize) and offsets point into the caller's text.
        var canberra = batched[1];
        for (int r = 0; r < canberra.Count; r++)
            Assert.Equal(1f, MathF.Sqrt(canberra[r].ToArray().Sum(v => v * v)), 4);
        Assert.Equal(default, canberra.Offsets[0]); // [CLS]
        Assert.Contains("capital", canberra.Offsets.Select(o => texts[1][o.Start..o.End]));
    }

    [FixtureFact]
    public void Cancellation_stops_the_call()
    {
        using var embedder = Load();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => embedder.EmbedMultiVector(["some text"], MultiVectorRole.Query, cancellationToken: cancelled.Token));
        Assert.ThrowsAnyAsync<OperationCanceledException>(() => embedder.EmbedMultiVectorAsync(["some text"], MultiVectorRole.Query, cancellationToken: cancelled.Token)).GetAwaiter().GetResult();
    }

    [FixtureFact]
    public void A_multivector_model_refuses_single_vector_embedding_and_a_dense_model_refuses_multivector()
    {
        using var embedder = Load();
        Assert.Throws<NotSupportedException>(() => embedder.Embed(["text"]));
        using var dense = OnnxEmbedder.Create(Fixtures.ModelDir("bert-mean-tiny"));
        Assert.False(dense.SupportsMultiVector);
        Assert.Throws<NotSupportedException>(() => dense.EmbedMultiVector(["text"], MultiVectorRole.Query));
    }

    [FixtureFact]
    public void Skiplist_drops_listed_tokens_from_documents_only()
    {
        using var folder = Variant(mask: """{"skiplist_words": [",", "."], "skiplist_tasks": ["document"], "keep_only_token_ids": null}""");
        using var embedder = Load(folder.Path);
        using var plain = Load();
        string text = "Canberra is the capital city of Australia, not Sydney.";
        var full = plain.EmbedMultiVector([text], MultiVectorRole.Document)[0];
        var document = embedder.EmbedMultiVector([text], MultiVectorRole.Document)[0];
        var query = embedder.EmbedMultiVector([text], MultiVectorRole.Query)[0];
        int comma = embedder.Tokenizer.TokenToId(",")!.Value, period = embedder.Tokenizer.TokenToId(".")!.Value;
        Assert.Equal(full.Count, query.Count); // queries are not in skiplist_tasks
        Assert.Equal(full.Count - 2, document.Count);
        Assert.DoesNotContain(comma, document.Ids);
        Assert.DoesNotContain(period, document.Ids);
        // The mask removes rows and never changes the others.
        var kept = Enumerable.Range(0, full.Count).Where(r => full.Ids[r] != comma && full.Ids[r] != period).ToArray();
        Assert.Equal(kept, document.Positions);
        for (int r = 0; r < kept.Length; r++) AssertClose(full[kept[r]].Span, document[r].Span, 1e-6f);
    }

    [FixtureFact]
    public void Keep_only_token_ids_restricts_documents_and_spares_queries()
    {
        using var probe = Load();
        int capital = probe.Tokenizer.TokenToId("capital")!.Value, city = probe.Tokenizer.TokenToId("city")!.Value;
        using var folder = Variant(mask: $$"""{"skiplist_words": [], "keep_only_token_ids": [{{capital}}, {{city}}]}""");
        using var embedder = Load(folder.Path);
        string text = "Canberra is the capital city of Australia, not Sydney.";
        var document = embedder.EmbedMultiVector([text], MultiVectorRole.Document)[0];
        Assert.Equal([capital, city], document.Ids);
        Assert.Equal([new Tokenization.TokenOffset(16, 23), new Tokenization.TokenOffset(24, 28)], document.Offsets);
        Assert.Equal(probe.EmbedMultiVector([text], MultiVectorRole.Query)[0].Count, embedder.EmbedMultiVector([text], MultiVectorRole.Query)[0].Count);
    }

    [FixtureFact]
    public void Role_prompts_are_prepended_and_offsets_stay_in_the_callers_text()
    {
        using var folder = Variant(prompts: """{"query": "query: ", "document": "passage: "}""");
        using var embedder = Load(folder.Path);
        using var plain = Load();
        var query = embedder.EmbedMultiVector(["capital of Australia"], MultiVectorRole.Query)[0];
        var document = embedder.EmbedMultiVector(["capital of Australia"], MultiVectorRole.Document)[0];
        var bare = plain.EmbedMultiVector(["capital of Australia"], MultiVectorRole.Query)[0];
        Assert.Equal(bare.Count + 2, query.Count); // "query", ":"
        Assert.Equal(embedder.Tokenizer.TokenToId("query"), query.Ids[1]);
        Assert.Equal(embedder.Tokenizer.TokenToId("passage"), document.Ids[1]);
        Assert.Equal(default, query.Offsets[1]); // a prompt token has no span in the caller's text
        Assert.Equal(new Tokenization.TokenOffset(0, 7), query.Offsets[3]);
        Assert.NotEqual(query.Vectors.Span[(3 * 128)..].ToArray(), document.Vectors.Span[(3 * 128)..].ToArray());
        // An explicit prompt wins over the role's.
        var explicitPrompt = embedder.EmbedMultiVector(["capital of Australia"], MultiVectorRole.Query, new MultiVectorOptions { Prompt = "" })[0];
        Assert.Equal(bare.Ids, explicitPrompt.Ids);
        Assert.Throws<ArgumentException>(() => embedder.EmbedMultiVector(["x"], MultiVectorRole.Query, new MultiVectorOptions { PromptName = "nope" }));
    }

    [FixtureFact]
    public void Query_expansion_fills_queries_with_mask_tokens_that_do_not_disturb_the_real_ones()
    {
        using var folder = Variant(transformer: """{"query_expansion": {"strategy": "fixed", "length": 12, "attend": false}}""");
        using var embedder = Load(folder.Path);
        using var plain = Load();
        int mask = embedder.Tokenizer.TokenToId("[MASK]")!.Value;
        string[] queries = ["capital of Australia", "how does late chunking work"];
        var expanded = embedder.EmbedMultiVector(queries, MultiVectorRole.Query);
        var bare = plain.EmbedMultiVector(queries, MultiVectorRole.Query);
        for (int i = 0; i < queries.Length; i++)
        {
            Assert.Equal(12, expanded[i].Count);
            Assert.All(expanded[i].Ids.Skip(bare[i].Count), id => Assert.Equal(mask, id));
            Assert.All(expanded[i].Offsets.Skip(bare[i].Count), o => Assert.Equal(default, o));
            // Without attention on them, the filler positions cannot change the real tokens' rows.
            AssertClose(bare[i].Vectors.Span, expanded[i].Vectors.Span[..(bare[i].Count * 128)], 1e-5f);
        }
        // Fixed width cuts longer queries; documents are never expanded.
        var longQuery = embedder.EmbedMultiVector([string.Join(' ', Enumerable.Repeat("word", 40))], MultiVectorRole.Query)[0];
        Assert.Equal(12, longQuery.Count);
        Assert.True(longQuery.WasTruncated);
        Assert.Equal(bare[0].Count, embedder.EmbedMultiVector([queries[0]], MultiVectorRole.Document)[0].Count);

        // Attending to the filler changes the real rows too (it is a different computation), but keeps the width.
        using var attending = Variant(transformer: """{"query_expansion": {"strategy": "fixed", "length": 12, "attend": true}}""");
        using var attendingEmbedder = Load(attending.Path);
        var attended = attendingEmbedder.EmbedMultiVector(queries, MultiVectorRole.Query);
        Assert.Equal(12, attended[0].Count);
        Assert.NotEqual(bare[0].Vectors.ToArray(), attended[0].Vectors[..(bare[0].Count * 128)].ToArray());
    }

    [FixtureFact]
    public async Task Expanded_queries_run_in_the_queue_configuration_too()
    {
        using var folder = Variant(transformer: """{"query_expansion": {"strategy": "fixed", "length": 12, "attend": false}}""");
        using var embedder = OnnxEmbedder.Create(folder.Path, new OnnxEmbedderOptions { Embedder = { Queue = new EmbeddingQueueOptions() } });
        var sync = embedder.EmbedMultiVector(["capital of Australia"], MultiVectorRole.Query)[0];
        var queued = (await embedder.EmbedMultiVectorAsync(["capital of Australia"], MultiVectorRole.Query))[0];
        AssertClose(sync.Vectors.Span, queued.Vectors.Span, 1e-6f);
        var documents = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => embedder.EmbedMultiVectorAsync(["Canberra is the capital."], MultiVectorRole.Document)));
        Assert.All(documents, d => Assert.Equal(documents[0][0].Ids, d[0].Ids));
    }

    [FixtureFact]
    public void PyLate_folders_chain_their_Dense_modules_and_apply_lengths_and_the_punctuation_skiplist()
    {
        // A PyLate 3 save: Transformer + two pylate Dense modules, settings at the top level of
        // config_sentence_transformers.json. 2_Dense reverses and doubles the 128 values, so each row must be the
        // reversed row of the single-Dense model (normalization removes the factor 2).
        using var folder = Variant(pyLate: true);
        using var embedder = Load(folder.Path);
        using var capped = Variant(transformer: """{"document_length": 10}"""); // the same cut, in sentence-transformers 6's format
        using var plain = Load(capped.Path);
        Assert.Equal(128, embedder.MultiVectorDimensions);
        string text = "Canberra is the capital city of Australia, not Sydney.";
        var document = embedder.EmbedMultiVector([text], MultiVectorRole.Document)[0];
        var reference = plain.EmbedMultiVector([text], MultiVectorRole.Document)[0];
        // Punctuation dropped (PyLate's default skiplist) and document_length caps at 10 tokens.
        var expectedPositions = Enumerable.Range(0, 10).Where(p => !IsPunctuation(plain, reference.Ids[p])).ToArray();
        Assert.Equal(expectedPositions, document.Positions);
        Assert.True(document.WasTruncated);
        for (int r = 0; r < document.Count; r++)
        {
            var want = reference[document.Positions[r]].ToArray().Reverse().ToArray();
            AssertClose(want, document[r].Span, 1e-5f);
        }
        // Queries: PyLate's default expansion to query_length 16 with [MASK], without attention; punctuation is kept.
        var query = embedder.EmbedMultiVector(["capital, of Australia"], MultiVectorRole.Query)[0];
        Assert.Equal(16, query.Count);
        Assert.Contains(embedder.Tokenizer.TokenToId(",")!.Value, query.Ids);
        Assert.Equal(embedder.Tokenizer.TokenToId("[MASK]"), query.Ids[^1]);
    }

    [FixtureFact]
    public void PyLate_marker_prefixes_become_single_tokens()
    {
        // [unused0] / [unused1] are vocabulary tokens the tokenizer would split as text; they must stay one piece.
        using var folder = Variant(pyLate: true, prefixes: true);
        using var embedder = Load(folder.Path);
        int unused0 = embedder.Tokenizer.TokenToId("[unused0]")!.Value, unused1 = embedder.Tokenizer.TokenToId("[unused1]")!.Value;
        var query = embedder.EmbedMultiVector(["capital of Australia"], MultiVectorRole.Query)[0];
        var document = embedder.EmbedMultiVector(["capital of Australia"], MultiVectorRole.Document)[0];
        Assert.Equal(unused0, query.Ids[1]);
        Assert.Equal(unused1, document.Ids[1]);
        Assert.Equal(embedder.Tokenizer.TokenToId("capital"), document.Ids[2]);
        Assert.Equal(new Tokenization.TokenOffset(0, 7), document.Offsets[2]);
    }

    private static bool IsPunctuation(Embedder embedder, int id) => MultiVectorMaskConfig.AsciiPunctuation.Contains(embedder.Tokenizer.IdToToken(id));

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"value {i}: {expected[i]} vs {actual[i]}");
    }

    // The fixture's files in a temp folder with some replaced: the mask's config, the prompts, the Transformer's
    // sentence_bert_config.json, or a PyLate 3 layout.
    private static TemporaryDirectory Variant(string? mask = null, string? prompts = null, string? transformer = null, bool pyLate = false, bool prefixes = false)
    {
        var temp = new TemporaryDirectory();
        string source = Fixtures.ModelDir(Model);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, file);
            if (relative == "refs.jsonl") continue;
            string target = temp.File(relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetAttributes(target, FileAttributes.Normal);
        }
        if (mask is not null) File.WriteAllText(temp.File("2_MultiVectorMask/config.json"), mask);
        if (prompts is not null)
            File.WriteAllText(temp.File("config_sentence_transformers.json"), $$"""{"model_type": "MultiVectorEncoder", "prompts": {{prompts}}}""");
        if (transformer is not null) File.WriteAllText(temp.File("sentence_bert_config.json"), transformer);
        if (pyLate)
        {
            File.WriteAllText(temp.File("modules.json"), """
                [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                 {"idx": 1, "name": "1", "path": "1_Dense", "type": "pylate.models.Dense.Dense"},
                 {"idx": 2, "name": "2", "path": "2_Dense", "type": "pylate.models.Dense.Dense"}]
                """);
            string markers = prefixes ? "\"query_prefix\": \"[unused0] \", \"document_prefix\": \"[unused1] \"," : "";
            File.WriteAllText(temp.File("config_sentence_transformers.json"),
                "{\"model_type\": \"ColBERT\", " + markers + " \"query_length\": 16, \"document_length\": 10, \"attend_to_expansion_tokens\": false, \"prompts\": {}}");
            File.WriteAllText(temp.File("sentence_bert_config.json"), """{"max_seq_length": 512, "do_lower_case": false}""");
            Directory.Delete(temp.File("2_MultiVectorMask"), recursive: true);
            Directory.Delete(temp.File("3_Normalize"), recursive: true);
            Directory.CreateDirectory(temp.File("2_Dense"));
            File.WriteAllText(temp.File("2_Dense/config.json"), """{"in_features": 128, "out_features": 128, "bias": false, "activation_function": "torch.nn.modules.linear.Identity"}""");
            var reverse = new float[128 * 128];
            for (int o = 0; o < 128; o++) reverse[o * 128 + (127 - o)] = 2f;
            File.WriteAllBytes(temp.File("2_Dense/model.safetensors"), SafeTensors("linear.weight", [128, 128], reverse));
        }
        return temp;
    }

    private static byte[] SafeTensors(string name, long[] shape, float[] values)
    {
        var header = Encoding.UTF8.GetBytes($"{{\"{name}\":{{\"dtype\":\"F32\",\"shape\":[{string.Join(',', shape)}],\"data_offsets\":[0,{values.Length * 4}]}}}}");
        var file = new byte[8 + header.Length + values.Length * 4];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(8 + header.Length + i * 4), values[i]);
        return file;
    }
}
