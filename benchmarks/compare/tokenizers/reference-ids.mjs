// Writes Hugging Face tokenizers' ids for the corpus sample the .NET `wordpiece` command measures, one JSON array
// per line, so that command can report each tokenizer's agreement with the reference itself.
//
//   npm ci
//   node reference-ids.mjs [--family bert-uncased] [--texts 3200] [--shared ../../../../shared] > hf-ids.jsonl
//
// The sample is the one of benchmarks/Shared/CorpusSample.cs: every corpus file in ordinal name order, passages
// in file order, and from that sequence `texts` evenly spaced passages (index i * total / texts).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.TOKENIZERS_PARALLELISM = 'false';
const { Tokenizer } = await import('tokenizers');

const here = path.dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const shared = path.resolve(here, args.shared ?? '../../../../shared');
const family = args.family ?? 'bert-uncased';
const count = Number(args.texts ?? 3200);

const corpus = path.join(shared, 'corpus');
const files = fs.readdirSync(corpus).filter(f => f.endsWith('.jsonl')).sort();
const all = files.flatMap(f => fs.readFileSync(path.join(corpus, f), 'utf8').split('\n').filter(l => l.length > 0).map(l => JSON.parse(l).text));
const sample = count >= all.length ? all : Array.from({ length: count }, (_, i) => all[Math.floor(i * all.length / count)]);

const tokenizer = Tokenizer.fromFile(path.join(shared, 'fixtures', 'tokenizers', family, 'tokenizer.json'));
tokenizer.disableTruncation();
tokenizer.disablePadding();
const lines = [];
for (const text of sample) lines.push(JSON.stringify((await tokenizer.encode(text)).getIds()));
process.stdout.write(lines.join('\n') + '\n');
