#!/usr/bin/env node
// Extracts one file (the ONNX Runtime native library) from a pinned npm package, after checking the
// package tarball against a pinned integrity hash. Called by eng/OnnxRuntimeNative.targets during the
// build; runnable by hand with the same arguments.
//
//   node eng/fetch-onnxruntime.mjs --package onnxruntime-node --version 1.30.0 --integrity sha512-...
//        --entry package/bin/napi-v6/linux/x64/libonnxruntime.so.1 --output artifacts/native/linux-x64/libonnxruntime.so.1
//
// Properties the build relies on:
// - Idempotent: `<output>.stamp` records the package, version, integrity and the extracted file's hash;
//   when they match, nothing is downloaded.
// - Atomic: the file is written under a temporary name in the target folder and renamed into place, so
//   a reader never sees a half-written library.
// - Safe when several builds run at once: a lock file next to the output serialises them, and whoever
//   comes second finds the work done.
// - No package scripts run: the tarball is obtained with `npm pack --ignore-scripts` (which also uses and
//   fills npm's own cache) and read by the small tar reader below; nothing is installed.

import { createHash, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';

const LOCK_STALE_MS = 15 * 60 * 1000;
const LOCK_POLL_MS = 500;

const { values: args } = parseArgs({
  options: {
    package: { type: 'string' },
    version: { type: 'string' },
    integrity: { type: 'string' },
    entry: { type: 'string' },
    output: { type: 'string' },
  },
  strict: true,
});
for (const name of ['package', 'version', 'integrity', 'entry', 'output']) {
  if (!args[name]) fail(`missing --${name}`);
}
if (!/^sha512-[A-Za-z0-9+/]+=*$/.test(args.integrity)) fail(`--integrity must be an npm sha512 integrity string, got '${args.integrity}'`);

const output = path.resolve(args.output);
const stampPath = `${output}.stamp`;
const lockPath = `${output}.lock`;
const spec = `${args.package}@${args.version}`;

async function main() {
  fs.mkdirSync(path.dirname(output), { recursive: true });
  if (isUpToDate()) {
    log(`${path.basename(output)} from ${spec} is up to date.`);
    return;
  }
  const releaseLock = await acquireLock();
  try {
    // Another build may have finished the job while this one waited for the lock.
    if (isUpToDate()) {
      log(`${path.basename(output)} from ${spec} is up to date.`);
      return;
    }
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnxruntime-fetch-'));
    try {
      const tarball = packTarball(workDir);
      const actual = await hashFile(tarball, 'sha512', 'base64');
      if (`sha512-${actual}` !== args.integrity) {
        throw new Error(`${spec}: the tarball's integrity is sha512-${actual}, but the pinned integrity is ${args.integrity}. Refusing to use it.`);
      }
      log(`${spec}: tarball integrity verified; extracting ${args.entry}.`);
      const written = await extractEntry(tarball, args.entry, path.dirname(output));
      fs.renameSync(written, output);
      writeStamp();
      log(`${path.basename(output)} from ${spec} written to ${output}.`);
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  } finally {
    releaseLock();
  }
}

function isUpToDate() {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(stampPath, 'utf8'));
  } catch {
    return false;
  }
  if (stamp.package !== args.package || stamp.version !== args.version || stamp.integrity !== args.integrity || stamp.entry !== args.entry) return false;
  let stat;
  try {
    stat = fs.statSync(output);
  } catch {
    return false;
  }
  return stat.size === stamp.size && hashFileSync(output) === stamp.sha256;
}

function writeStamp() {
  const stamp = {
    package: args.package,
    version: args.version,
    integrity: args.integrity,
    entry: args.entry,
    size: fs.statSync(output).size,
    sha256: hashFileSync(output),
  };
  const temporary = `${stampPath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(stamp, null, 2)}\n`);
  fs.renameSync(temporary, stampPath);
}

async function acquireLock() {
  let announced = false;
  for (;;) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, `${process.pid}\n`);
      fs.closeSync(fd);
      const release = () => fs.rmSync(lockPath, { force: true });
      process.once('exit', release);
      return () => {
        process.removeListener('exit', release);
        release();
      };
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    // A lock left behind by a killed build must not block every later build forever.
    try {
      if (Date.now() - fs.statSync(lockPath).mtimeMs > LOCK_STALE_MS) {
        log(`removing stale lock ${lockPath}`);
        fs.rmSync(lockPath, { force: true });
        continue;
      }
    } catch {
      continue;
    }
    if (!announced) {
      log(`waiting for another build that is fetching ${spec} (${lockPath})`);
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

function packTarball(workDir) {
  log(`fetching ${spec} with npm pack (113 MB on a cold npm cache)`);
  const npm = locateNpm();
  const result = spawnSync(npm.command, [...npm.prefix, 'pack', spec, '--pack-destination', workDir, '--json', '--ignore-scripts'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    shell: npm.shell,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new Error(`could not run npm (${npm.command}): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`npm pack ${spec} failed with exit code ${result.status}`);
  let filename;
  try {
    filename = JSON.parse(result.stdout)[0].filename;
  } catch {
    throw new Error(`npm pack ${spec} printed no package description: ${result.stdout.slice(0, 500)}`);
  }
  const tarball = path.join(workDir, filename);
  if (!fs.existsSync(tarball)) throw new Error(`npm pack reported ${filename}, but ${tarball} does not exist`);
  return tarball;
}

// npm ships with node; running its CLI script with this very node avoids depending on PATH and on a
// shell (npm is a .cmd script on Windows).
function locateNpm() {
  const nodeDir = path.dirname(process.execPath);
  const candidates = [
    process.env.npm_execpath,
    path.join(nodeDir, '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    path.join(nodeDir, 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ];
  for (const candidate of candidates) {
    if (candidate && candidate.endsWith('.js') && fs.existsSync(candidate)) {
      return { command: process.execPath, prefix: [candidate], shell: false };
    }
  }
  return { command: 'npm', prefix: [], shell: process.platform === 'win32' };
}

// Streams the gzip'd tar and writes the one wanted entry to a temporary file in targetDir; returns its path.
async function extractEntry(tarball, entryName, targetDir) {
  const reader = new StreamReader(fs.createReadStream(tarball).pipe(createGunzip()));
  let longName = null;
  let paxPath = null;
  for (;;) {
    const header = await reader.read(512);
    if (header.length < 512) break;
    if (header.every((b) => b === 0)) break;
    verifyHeaderChecksum(header);
    const size = parseSize(header.subarray(124, 136));
    const type = String.fromCharCode(header[156] || 0x30);
    const padded = Math.ceil(size / 512) * 512;
    let name = longName ?? paxPath ?? headerName(header);
    if (type === 'L') {
      longName = (await reader.read(padded)).subarray(0, size).toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    if (type === 'x') {
      paxPath = parsePaxPath((await reader.read(padded)).subarray(0, size).toString('utf8'));
      continue;
    }
    longName = null;
    paxPath = null;
    if ((type === '0' || type === '\0') && name === entryName) {
      const temporary = path.join(targetDir, `.${path.basename(entryName)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      try {
        await reader.copyTo(temporary, size);
        const mode = parseOctal(header.subarray(100, 108));
        fs.chmodSync(temporary, (mode & 0o777) | 0o644);
        return temporary;
      } catch (error) {
        fs.rmSync(temporary, { force: true });
        throw error;
      }
    }
    await reader.skip(padded);
  }
  throw new Error(`${spec} has no entry '${entryName}'`);
}

function headerName(header) {
  const name = cString(header.subarray(0, 100));
  const isUstar = header.subarray(257, 262).toString('latin1') === 'ustar';
  const prefix = isUstar ? cString(header.subarray(345, 500)) : '';
  return prefix ? `${prefix}/${name}` : name;
}

function parsePaxPath(records) {
  let found = null;
  let offset = 0;
  while (offset < records.length) {
    const space = records.indexOf(' ', offset);
    if (space < 0) break;
    const length = Number.parseInt(records.slice(offset, space), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = records.slice(space + 1, offset + length - 1);
    const equals = record.indexOf('=');
    if (equals > 0 && record.slice(0, equals) === 'path') found = record.slice(equals + 1);
    offset += length;
  }
  return found;
}

function verifyHeaderChecksum(header) {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
  const recorded = parseOctal(header.subarray(148, 156));
  if (recorded !== sum) throw new Error(`corrupt tar header in ${spec} (checksum ${recorded}, computed ${sum})`);
}

function parseSize(field) {
  // GNU base-256 for sizes beyond the 11 octal digits.
  if (field[0] & 0x80) {
    let value = field[0] & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i];
    return value;
  }
  return parseOctal(field);
}

function parseOctal(field) {
  const text = cString(field).trim();
  return text ? Number.parseInt(text, 8) : 0;
}

function cString(field) {
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
}

// Reads exact byte counts from a stream without holding more than one chunk in memory.
class StreamReader {
  constructor(stream) {
    this.iterator = stream[Symbol.asyncIterator]();
    this.pending = Buffer.alloc(0);
    this.done = false;
  }

  async fill() {
    if (this.done) return false;
    const { value, done } = await this.iterator.next();
    if (done) {
      this.done = true;
      return false;
    }
    this.pending = this.pending.length ? Buffer.concat([this.pending, value]) : value;
    return true;
  }

  async read(count) {
    while (this.pending.length < count && (await this.fill()));
    const taken = this.pending.subarray(0, count);
    this.pending = this.pending.subarray(taken.length);
    return Buffer.from(taken);
  }

  async skip(count) {
    let left = count;
    while (left > 0) {
      if (this.pending.length === 0 && !(await this.fill())) throw new Error(`${spec}: tarball ends inside an entry`);
      const n = Math.min(left, this.pending.length);
      this.pending = this.pending.subarray(n);
      left -= n;
    }
  }

  async copyTo(file, count) {
    const fd = fs.openSync(file, 'w');
    try {
      let left = count;
      while (left > 0) {
        if (this.pending.length === 0 && !(await this.fill())) throw new Error(`${spec}: tarball ends inside ${path.basename(file)}`);
        const n = Math.min(left, this.pending.length);
        fs.writeSync(fd, this.pending, 0, n);
        this.pending = this.pending.subarray(n);
        left -= n;
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    await this.skip((512 - (count % 512)) % 512);
  }
}

function hashFile(file, algorithm, encoding) {
  return new Promise((resolve, reject) => {
    const hash = createHash(algorithm);
    fs.createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest(encoding)));
  });
}

function hashFileSync(file) {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(1 << 20);
    let read;
    while ((read = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0) hash.update(buffer.subarray(0, read));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

function log(message) {
  console.log(`fetch-onnxruntime: ${message}`);
}

function fail(message) {
  console.error(`fetch-onnxruntime: error: ${message}`);
  process.exit(1);
}

// Last, so that every class and function above is initialised before it runs.
try {
  await main();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
