/**
 * `npm run bench -- --classbench FILE [--trace FILE | --generate-trace N [--save-trace FILE]] [--json]`:
 * the kernel classifier on a ClassBench filter set. Without a trace, headers are drawn inside
 * random rules (20k); `--generate-trace N` makes a ClassBench-style corner trace of N headers
 * instead (what TupleMerge's bench generates), and `--save-trace` writes it in ClassBench trace
 * format so a native classifier can run the very same headers. Any mismatch against the linear
 * oracle sets a non-zero exit code.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { CompiledClassifier } from '../../../workers/host/kernel/classifier/compiled';
import { linearClassify } from '../../../workers/host/kernel/classifier/linear';
import { RuleTable, type EntrySpec } from '../../../workers/host/kernel/classifier/rule-table';
import { parseClassBenchRules, parseClassBenchTrace, type Header } from './format';
import { cornerTrace, headersInside } from './generator';

export const fmtRate = (perSec: number) => (perSec >= 1e6 ? `${(perSec / 1e6).toFixed(2)} M/s` : `${(perSec / 1e3).toFixed(1)} k/s`);

/** Runs `body` (which performs `opsPerCall` operations) until `ms` have passed; returns ops per second. */
export function rate(ms: number, opsPerCall: number, body: () => void): number {
  return rates(ms, opsPerCall, body).wall;
}

/** This process's CPU time in ms (user + system): on a shared, loaded machine it moves far less than the wall clock. */
export const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Ops per second by the wall clock and by this process's CPU time over the same runs. */
export function rates(ms: number, opsPerCall: number, body: () => void): { wall: number; cpu: number } {
  body(); // warm-up
  let ops = 0;
  const c0 = cpuMs();
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    body();
    ops += opsPerCall;
    t = performance.now();
  }
  return { wall: (ops * 1000) / (t - t0), cpu: (ops * 1000) / Math.max(cpuMs() - c0, 1e-3) };
}

function packHeaders(hs: readonly Header[]): Int32Array {
  const a = new Int32Array(hs.length * 5);
  hs.forEach((h, i) => a.set([h.src, h.dst, h.sport, h.dport, h.proto], i * 5));
  return a;
}

export interface ClassifyResult {
  rules: number;
  headers: number;
  buildMs: number;
  /** The build's CPU time (this process's): the build figure to read on a loaded machine. */
  buildCpuMs: number;
  tables: number;
  /** Of those, the tables that each hold a long run of the highest-priority rows (a lookup matching there probes one). */
  leadingTables: number;
  /** Bytes of the rule table's and the classifier's typed arrays. */
  bytes: number;
  compiledLookupsPerSec: number;
  /** Compiled lookups per second of this process's CPU time. */
  compiledLookupsPerCpuSec: number;
  linearLookupsPerSec: number;
  mismatches: number;
  checked: number;
}

/**
 * Builds the table and classifier, times compiled lookups over the headers for `compiledMs`,
 * then checks headers against the linear oracle for up to `linearBudgetMs` (all of them when the
 * budget allows) and times the oracle alone over those.
 */
export function benchClassify(specs: EntrySpec[], headers: readonly Header[], linearBudgetMs: number, compiledMs = 600): ClassifyResult {
  const H = packHeaders(headers);
  const n = headers.length;
  // The previous set's garbage is collected now, not inside the timed build (as a host's build would not meet it).
  (globalThis as { gc?: () => void }).gc?.();
  const c0 = cpuMs();
  const t0 = performance.now();
  const table = new RuleTable(specs);
  const compiled = new CompiledClassifier(table);
  const buildMs = performance.now() - t0;
  const buildCpuMs = cpuMs() - c0;
  let sink = 0;
  const compiledRate = rates(compiledMs, n, () => {
    for (let i = 0, o = 0; i < n; i++, o += 5) sink += compiled.classify(1, H[o + 4], H[o], H[o + 1], H[o + 2], H[o + 3], 0, 0);
  });
  let checked = 0;
  let mismatches = 0;
  const l0 = performance.now();
  for (let i = 0, o = 0; i < n; i++, o += 5) {
    const lin = linearClassify(table, 1, H[o + 4], H[o], H[o + 1], H[o + 2], H[o + 3], 0, 0);
    checked++;
    if (lin !== compiled.classify(1, H[o + 4], H[o], H[o + 1], H[o + 2], H[o + 3], 0, 0)) mismatches++;
    if ((checked & 255) === 0 && performance.now() - l0 > linearBudgetMs) break;
  }
  const linearRate = rate(Math.min(linearBudgetMs, 800), Math.min(checked, 2000), () => {
    for (let i = 0, o = 0; i < Math.min(checked, 2000); i++, o += 5) sink += linearClassify(table, 1, H[o + 4], H[o], H[o + 1], H[o + 2], H[o + 3], 0, 0);
  });
  if (sink === 0.5) console.log(''); // keep the loops observable
  return { rules: specs.length, headers: n, buildMs, buildCpuMs, tables: compiled.stats().tables, leadingTables: compiled.stats().leading, bytes: table.byteLength() + compiled.byteLength(), compiledLookupsPerSec: compiledRate.wall, compiledLookupsPerCpuSec: compiledRate.cpu, linearLookupsPerSec: linearRate, mismatches, checked };
}

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** Targets of issue 17 for a ClassBench set (native TupleMerge measured 4.3–16 M/s on this machine's sets). */
const TARGET_RATE = 5e6;
const targetBuildMs = (rules: number) => (rules > 20_000 ? 400 : 100);

export async function benchClassBench(print: (line: string) => void, argv: string[]): Promise<void> {
  const cbFile = arg(argv, '--classbench')!;
  const specs = parseClassBenchRules(readFileSync(cbFile, 'utf8'));
  const traceFile = arg(argv, '--trace');
  const generate = arg(argv, '--generate-trace');
  const count = generate === undefined ? 0 : Number(generate);
  if (generate !== undefined && !(Number.isInteger(count) && count > 0)) throw new Error(`--generate-trace wants a positive number of headers, not "${generate}"`);
  const headers = traceFile ? parseClassBenchTrace(readFileSync(traceFile, 'utf8')) : count ? cornerTrace(specs, count) : headersInside(specs, 20_000);
  const saveTo = arg(argv, '--save-trace');
  if (saveTo) writeFileSync(saveTo, headers.map((h, i) => `${h.src >>> 0}\t${h.dst >>> 0}\t${h.sport}\t${h.dport}\t${h.proto}\t${i}\t${i}\n`).join(''));
  const r = benchClassify(specs, headers, 5000, 1000);
  if (r.mismatches > 0) process.exitCode = 1;
  if (argv.includes('--json')) {
    print(JSON.stringify({ rules: r.rules, headers: r.headers, compiledLookupsPerSec: Math.round(r.compiledLookupsPerSec), linearLookupsPerSec: Math.round(r.linearLookupsPerSec), buildMs: Math.round(r.buildMs), bytesPerRule: Math.round(r.bytes / r.rules), mismatches: r.mismatches, checked: r.checked }));
    return;
  }
  const source = traceFile ? '' : count ? ' (ClassBench-style corner trace generated from the rules)' : ' (generated inside rules)';
  print(`classbench ${cbFile}: ${r.rules} rules, ${r.headers} headers${source}; build ${r.buildMs.toFixed(0)} ms (target ≤ ${targetBuildMs(r.rules)} ms), ${r.tables} tables (${r.leadingTables} leading), ${(r.bytes / r.rules).toFixed(0)} B/rule (${(r.bytes / 2 ** 20).toFixed(1)} MiB)`);
  print(`  compiled ${fmtRate(r.compiledLookupsPerSec)} (target ≥ ${fmtRate(TARGET_RATE)} and ≥ native TupleMerge on the same trace) | linear ${fmtRate(r.linearLookupsPerSec)} | mismatches ${r.mismatches} of ${r.checked} checked against the linear oracle (target 0)`);
  if (r.mismatches > 0) print(`  MISMATCH: the compiled classifier disagrees with the linear oracle on ${r.mismatches} headers`);
}
