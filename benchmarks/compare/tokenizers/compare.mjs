// Single-thread tokenizer throughput: Hugging Face tokenizers (the Rust library through its Node binding,
// pinned in package.json) against this project's tokenizer, on the same texts and tokenizer.json files.
//
//   npm ci
//   dotnet build ../../Embeddings.Benchmarks -c Release
//   node compare.mjs [--runs 5] [--families bert-uncased,roberta] [--shared ../../../../shared]
//
// Both sides encode every text one at a time with special tokens, no truncation and no padding, and produce
// full encodings (ids, type ids, tokens, offsets). Hugging Face runs encodeBatch with parallelism disabled
// (TOKENIZERS_PARALLELISM=false, RAYON_NUM_THREADS=1), so the per-call cost of the Node binding is paid
// once per 256 texts; .NET runs the harness in benchmarks/Embeddings.Benchmarks (`compare` mode) in a
// separate process. Each side reports the best of its runs after a warm-up run; the sides alternate so a
// noisy machine affects both alike. The table shows MB/s of UTF-8 input and the ratio .NET / Hugging Face.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.TOKENIZERS_PARALLELISM = 'false';
process.env.RAYON_NUM_THREADS = '1';
const { Tokenizer } = await import('tokenizers');

const here = path.dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const runs = Number(args.runs ?? 5);
const shared = path.resolve(here, args.shared ?? '../../../../shared');
const families = (args.families ?? 'bert-uncased,bert-multilingual-cased,mpnet,roberta,modernbert,qwen,t5').split(',');
const harness = path.resolve(here, args.bench ?? '../../Embeddings.Benchmarks/bin/Release/net10.0/Embeddings.Benchmarks.dll');

// The fixed corpus: English prose and sentences plus four other scripts, about 5 MB.
const corpusFiles = [
  'fortunes.en.jsonl', 'stsbenchmark.en.jsonl', 'debian-handbook.en.jsonl',
  'debian-handbook.de.jsonl', 'debian-handbook.ru.jsonl', 'debian-handbook.ja.jsonl', 'debian-handbook.zh-cn.jsonl',
].map(f => path.join(shared, 'corpus', f));

if (!fs.existsSync(harness)) {
  console.error(`.NET harness not found at ${harness}; build it with: dotnet build benchmarks/Embeddings.Benchmarks -c Release`);
  process.exit(2);
}

const texts = corpusFiles.flatMap(f => fs.readFileSync(f, 'utf8').split('\n').filter(l => l.length > 0).map(l => JSON.parse(l).text));
const bytes = texts.reduce((sum, t) => sum + Buffer.byteLength(t, 'utf8'), 0);

async function huggingFace(tokenizerFile) {
  const tokenizer = Tokenizer.fromFile(tokenizerFile);
  tokenizer.disableTruncation();
  tokenizer.disablePadding();
  const once = async () => {
    let tokens = 0;
    for (let i = 0; i < texts.length; i += 256) {
      for (const e of await tokenizer.encodeBatch(texts.slice(i, i + 256))) tokens += e.getLength();
    }
    return tokens;
  };
  await once();
  const start = process.hrtime.bigint();
  const tokens = await once();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, tokens };
}

function dotnet(tokenizerFile, mode) {
  const out = execFileSync('dotnet', [harness, 'compare', tokenizerFile, mode, '1', ...corpusFiles], { encoding: 'utf8' });
  const result = JSON.parse(out.trim().split('\n').pop());
  return { seconds: result.seconds, tokens: result.tokens };
}

const rows = [];
for (const family of families) {
  const file = path.join(shared, 'fixtures', 'tokenizers', family, 'tokenizer.json');
  let hf = Infinity, full = Infinity, ids = Infinity, hfTokens = 0, ourTokens = 0;
  for (let r = 0; r < runs; r++) {
    const h = await huggingFace(file);
    hf = Math.min(hf, h.seconds); hfTokens = h.tokens;
    const f = dotnet(file, 'encode');
    full = Math.min(full, f.seconds); ourTokens = f.tokens;
    ids = Math.min(ids, dotnet(file, 'ids').seconds);
  }
  if (hfTokens !== ourTokens) console.error(`${family}: token counts differ (HF ${hfTokens}, .NET ${ourTokens})`);
  const mb = s => (bytes / s / 1e6).toFixed(2);
  rows.push({ family, tokens: hfTokens, hf: mb(hf), full: mb(full), ids: mb(ids), fullRatio: (hf / full).toFixed(2), idsRatio: (hf / ids).toFixed(2) });
}

console.log(`${texts.length} texts, ${(bytes / 1e6).toFixed(2)} MB UTF-8, best of ${runs} runs, one thread`);
console.log('| tokenizer | tokens | HF tokenizers MB/s | .NET Encode MB/s | ratio | .NET ids-only MB/s | ratio |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows)
  console.log(`| ${r.family} | ${r.tokens} | ${r.hf} | ${r.full} | ${r.fullRatio}x | ${r.ids} | ${r.idsRatio}x |`);
