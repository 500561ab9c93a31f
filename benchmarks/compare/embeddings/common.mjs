// Helpers shared by the Node sides of the comparison: options, session settings, statistics, memory.
import fs from 'node:fs';

/** `--name value` pairs as an object. */
export function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) throw new Error(`expected '--name value' pairs; '${argv[i]}' has no value`);
    args[argv[i].slice(2)] = argv[i + 1];
  }
  return args;
}

/** Session options equal to the .NET side's: intra-op threads, one inter-op thread, sequential, arena, spinning. */
export function sessionOptions(args) {
  const spinning = (args.spinning ?? 'on') === 'on' ? '1' : '0';
  return {
    intraOpNumThreads: Number(args.threads),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: args.opt ?? 'all',
    enableCpuMemArena: (args.arena ?? 'on') === 'on',
    extra: { session: { intra_op: { allow_spinning: spinning }, inter_op: { allow_spinning: spinning } } },
  };
}

/** Texts of a JSON Lines file of {"text": ...} objects. */
export function readTexts(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter(line => line.length > 0).map(line => JSON.parse(line).text);
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))];
}

/** Seconds since `start` (a process.hrtime.bigint() value). */
export function since(start) {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Peak resident set size of this process, in bytes. */
export function peakRss() {
  return process.resourceUsage().maxRSS * 1024;
}
