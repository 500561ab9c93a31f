// transformers.js feature-extraction the way its users call it: a pipeline over the model folder (fp32, CPU,
// i.e. onnxruntime-node), texts in input order in batches of --batch (default 32), mean pooling and
// normalization done by the pipeline. The resulting Tensor is kept as is (no .tolist()).
//
//   node transformersjs.mjs --model DIR --texts FILE --threads N [--batch 32] [--runs 3] [--latency 200] [--vectors FILE]
import fs from 'node:fs';
import path from 'node:path';
import { pipeline, env } from '@huggingface/transformers';
import { parseArgs, sessionOptions, readTexts, percentile, since, peakRss } from './common.mjs';

const args = parseArgs(process.argv.slice(2));
const runs = Number(args.runs ?? 3);
const batchSize = Number(args.batch ?? 32);
const latencyCount = Number(args.latency ?? 200);
const texts = readTexts(args.texts);

env.allowRemoteModels = false;
env.localModelPath = path.dirname(path.resolve(args.model)) + path.sep;
const extractor = await pipeline('feature-extraction', path.basename(path.resolve(args.model)),
  { dtype: 'fp32', device: 'cpu', session_options: sessionOptions(args) });

async function pass() {
  const start = process.hrtime.bigint();
  let last;
  for (let i = 0; i < texts.length; i += batchSize) {
    last = await extractor(texts.slice(i, i + batchSize), { pooling: 'mean', normalize: true });
  }
  return { seconds: since(start), last };
}

await pass(); // warm-up
const seconds = [];
for (let r = 0; r < runs; r++) seconds.push((await pass()).seconds);

// Tokens after truncation, counted outside the clock, batch by batch as the pipeline tokenized them.
let tokens = 0, padded = 0;
for (let i = 0; i < texts.length; i += batchSize) {
  const mask = extractor.tokenizer(texts.slice(i, i + batchSize), { padding: true, truncation: true }).attention_mask;
  padded += mask.data.length;
  for (const m of mask.data) tokens += Number(m);
}

const latencyTexts = Array.from({ length: Math.min(latencyCount, texts.length) }, (_, i) => texts[Math.floor(i * texts.length / Math.min(latencyCount, texts.length))]);
for (const t of latencyTexts) await extractor(t, { pooling: 'mean', normalize: true });
const latency = [];
for (const t of latencyTexts) {
  const start = process.hrtime.bigint();
  await extractor(t, { pooling: 'mean', normalize: true });
  latency.push(since(start) * 1000);
}

if (args.vectors) {
  const sample = await extractor(texts.slice(0, 8), { pooling: 'mean', normalize: true });
  fs.writeFileSync(args.vectors, JSON.stringify(sample.tolist()));
}

const best = Math.min(...seconds);
console.log(JSON.stringify({
  side: 'transformers.js', texts: texts.length, tokens, padded_tokens: padded, batch: batchSize, seconds,
  texts_per_s: texts.length / best, tokens_per_s: tokens / best,
  latency: { count: latency.length, p50_ms: percentile(latency, 50), p99_ms: percentile(latency, 99) },
  peak_rss_bytes: peakRss(),
}));
