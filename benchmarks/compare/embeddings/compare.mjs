// Side-by-side throughput, latency and memory on one machine in one run: this library (.NET), transformers.js
// feature-extraction, and the runtime floor (a bare onnxruntime-node session on the library's own batches).
// Same model file, same texts from ../shared/corpus, same thread count, same ONNX Runtime (1.30.0) and settings.
//
//   npm ci
//   dotnet build ../../Embeddings.Compare -c Release
//   node compare.mjs [--models minilm-l6,bert-base] [--threads 1,2] [--texts minilm-l6=1000,bert-base=300]
//                    [--runs 3] [--latency 100] [--rounds 1] [--pin on]
//
// Each side runs in its own process (so peak RSS is its own): a warm-up pass over all texts, then --runs timed
// passes; the best pass gives texts/s. The sides alternate within a round, so load on the machine affects
// them alike; --rounds repeats the whole set and the spread is printed. With one thread every process is
// pinned to CPU 0 (taskset), so the library's tokenizer cannot borrow a second core: throughput per core.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './common.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2));
const models = (args.models ?? 'minilm-l6,bert-base').split(',');
const threadCounts = (args.threads ?? '1,2').split(',').map(Number);
const runs = args.runs ?? '3';
const latency = args.latency ?? '100';
const rounds = Number(args.rounds ?? 1);
const pin = (args.pin ?? 'on') === 'on';
const harness = path.resolve(here, args.harness ?? '../../Embeddings.Compare/bin/Release/net10.0/Embeddings.Compare.dll');
const textCounts = Object.fromEntries((args.texts ?? 'minilm-l6=1000,bert-base=300').split(',').map(pair => {
  const [name, count] = pair.includes('=') ? pair.split('=') : ['*', pair];
  return [name, Number(count)];
}));
const extra = ['opt', 'spinning', 'arena'].flatMap(k => (args[k] ? [`--${k}`, args[k]] : []));

if (!fs.existsSync(harness)) {
  console.error(`.NET harness not found at ${harness}; build it with: dotnet build benchmarks/Embeddings.Compare -c Release`);
  process.exit(2);
}

function run(command, commandArgs, threads) {
  const [file, list] = pin && threads === 1 ? ['taskset', ['-c', '0', command, ...commandArgs]] : [command, commandArgs];
  const out = execFileSync(file, list, { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop());
}

const out = path.resolve(here, '../../../artifacts/compare');
const results = [];
const machine = { cpus: (await import('node:os')).cpus().length, model: (await import('node:os')).cpus()[0].model, load: (await import('node:os')).loadavg() };

for (const model of models) {
  const count = textCounts[model] ?? textCounts['*'] ?? 1000;
  const prepared = run('dotnet', [harness, 'prepare', '--models', model, '--texts', String(count)], 2);
  const dir = prepared.models[model];
  for (const threads of threadCounts) {
    for (let round = 0; round < rounds; round++) {
      const tag = `${model}-${threads}t`;
      const plan = path.join(out, `plan-${tag}`);
      const common = ['--threads', String(threads), '--runs', runs, '--latency', latency, ...extra];
      process.stderr.write(`${tag} round ${round + 1}: .NET… `);
      const dotnet = run('dotnet', [harness, 'throughput', '--model', dir, '--texts', prepared.texts, '--plan', plan,
        '--vectors', path.join(out, `vectors-${tag}-dotnet.json`), ...common], threads);
      process.stderr.write('floor… ');
      const floor = run('node', [path.join(here, 'floor.mjs'), '--model', path.join(dir, 'onnx', 'model.onnx'), '--plan', plan, ...common], threads);
      process.stderr.write('transformers.js… ');
      const tjs = run('node', [path.join(here, 'transformersjs.mjs'), '--model', dir, '--texts', prepared.texts,
        '--vectors', path.join(out, `vectors-${tag}-tjs.json`), ...common], threads);
      process.stderr.write('done\n');
      const a = JSON.parse(fs.readFileSync(path.join(out, `vectors-${tag}-dotnet.json`), 'utf8'));
      const b = JSON.parse(fs.readFileSync(path.join(out, `vectors-${tag}-tjs.json`), 'utf8'));
      const maxDiff = Math.max(...a.flatMap((v, i) => v.map((x, j) => Math.abs(x - b[i][j]))));
      results.push({ model, threads, round, dotnet, floor, tjs, vector_max_abs_diff: maxDiff });
    }
  }
}

fs.mkdirSync(out, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
fs.writeFileSync(path.join(out, `results-${stamp}.json`), JSON.stringify({ machine, args, results }, null, 1));

const f = (x, d = 1) => x.toFixed(d);
const mb = bytes => f(bytes / 1048576, 0);
const spread = list => `${f(Math.min(...list))}–${f(Math.max(...list))}`;
console.log(`machine: ${machine.cpus} CPUs, ${machine.model}, load ${machine.load.map(l => f(l, 2)).join(' ')} at the end`);
console.log('| model | threads | side | texts | texts/s | tokens/s | p50 ms | p99 ms | peak RSS MB |');
console.log('|---|---:|---|---:|---:|---:|---:|---:|---:|');
for (const r of results.filter(r => r.round === 0)) {
  const rows = [
    ['this library', r.dotnet, r.dotnet.latency],
    ['runtime floor (Node, bare session)', r.floor, r.floor.latency],
    ['bare session from .NET', r.dotnet.bare, { p50_ms: r.dotnet.latency.bare_p50_ms, p99_ms: r.dotnet.latency.bare_p99_ms }],
    ['transformers.js', r.tjs, r.tjs.latency],
  ];
  for (const [side, s, l] of rows)
    console.log(`| ${r.model} | ${r.threads} | ${side} | ${r.dotnet.texts} | ${f(s.texts_per_s)} | ${f(s.tokens_per_s, 0)} | ${f(l.p50_ms)} | ${f(l.p99_ms)} | ${s.peak_rss_bytes ? mb(s.peak_rss_bytes) : '(same process)'} |`);
}
console.log('\n| model | threads | vs transformers.js | vs floor | vs .NET bare | p50 vs floor | p50 vs .NET bare | padding (ours / transformers.js) | max abs diff of vectors |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results.filter(r => r.round === 0)) {
  console.log(`| ${r.model} | ${r.threads} | ${f(r.dotnet.texts_per_s / r.tjs.texts_per_s, 2)}× | ${f(r.dotnet.texts_per_s / r.floor.texts_per_s, 3)}× | ` +
    `${f(r.dotnet.texts_per_s / r.dotnet.bare.texts_per_s, 3)}× | ${f(r.dotnet.latency.p50_ms / r.floor.latency.p50_ms, 3)}× | ` +
    `${f(r.dotnet.latency.p50_ms / r.dotnet.latency.bare_p50_ms, 3)}× | ${f(r.dotnet.padded_tokens / r.dotnet.tokens, 3)} / ${f(r.tjs.padded_tokens / r.tjs.tokens, 3)} | ${r.vector_max_abs_diff.toExponential(1)} |`);
}
if (rounds > 1) {
  console.log('\nSpread of texts/s over all rounds and runs (min–max):');
  for (const model of models) for (const threads of threadCounts) {
    const set = results.filter(r => r.model === model && r.threads === threads);
    const per = side => set.flatMap(r => side(r).seconds.map(s => side(r).texts / s));
    console.log(`${model} ${threads}t: library ${spread(set.flatMap(r => r.dotnet.seconds.map(s => r.dotnet.texts / s)))}, ` +
      `floor ${spread(per(r => r.floor))}, .NET bare ${spread(set.flatMap(r => r.dotnet.bare.seconds.map(s => r.dotnet.texts / s)))}, ` +
      `transformers.js ${spread(per(r => r.tjs))}`);
  }
}
