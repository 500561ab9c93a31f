// The runtime floor: a bare onnxruntime-node session running the batches the .NET library ran (length-sorted,
// minimally padded, exported by `Embeddings.Compare throughput --plan`), with no tokenization and no pooling.
// Input tensors are built before the clock starts; only session.run is timed, fetching the one output the
// library reads.
//
//   node floor.mjs --model DIR/onnx/model.onnx --plan PREFIX --threads N [--runs 3] [--opt all] [--spinning on]
import fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import { parseArgs, sessionOptions, percentile, since, peakRss } from './common.mjs';

const args = parseArgs(process.argv.slice(2));
const runs = Number(args.runs ?? 3);
const plan = JSON.parse(fs.readFileSync(`${args.plan}.json`, 'utf8'));
const file = fs.readFileSync(`${args.plan}.bin`);
const data = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);

function feeds(entry) {
  const count = entry.size * entry.length;
  const result = {};
  plan.inputs.forEach((name, k) => {
    result[name] = new ort.Tensor('int64', new BigInt64Array(data, entry.offset + k * count * 8, count), [entry.size, entry.length]);
  });
  return result;
}

const session = await ort.InferenceSession.create(args.model, sessionOptions(args));
const batches = plan.batches.map(feeds);
const singles = plan.singles.map(feeds);
const texts = plan.batches.reduce((n, b) => n + b.size, 0);
const tokens = plan.batches.reduce((n, b) => n + b.real_tokens, 0);

async function pass(list) {
  const start = process.hrtime.bigint();
  for (const f of list) await session.run(f, [plan.output]);
  return since(start);
}

await pass(batches); // warm-up, as the .NET side's recording pass
const seconds = [];
for (let r = 0; r < runs; r++) seconds.push(await pass(batches));

await pass(singles);
const latency = [];
for (const f of singles) latency.push(await pass([f]) * 1000);

const best = Math.min(...seconds);
console.log(JSON.stringify({
  side: 'floor', texts, tokens, seconds,
  texts_per_s: texts / best, tokens_per_s: tokens / best,
  latency: { count: latency.length, p50_ms: percentile(latency, 50), p99_ms: percentile(latency, 99) },
  peak_rss_bytes: peakRss(),
  onnxruntime: ort.env.versions.node,
}));
