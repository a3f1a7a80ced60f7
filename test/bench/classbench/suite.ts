/**
 * `npm run bench -- classbench [--trace-size N]`: the compiled classifier on every ClassBench set
 * issue 17 names (acl1, fw1, ipc1 at 10k and 100k), each against one corner trace of N headers
 * (default 1 M) generated from its rules and saved beside the set, so a native classifier can run
 * the very same headers. Sets are looked for in ../shared/perf-data/ and .cache/classbench/
 * (`bash scripts/classbench-sets.sh CLASSBENCH_CHECKOUT` generates the missing ones there; with
 * DFW_CLASSBENCH_SRC=CHECKOUT the bench runs it itself). With DFW_NATIVE_TUPLEMERGE=path/to/main
 * (github drjdaly/tuplemerge, `make`) native TupleMerge and PartitionSort run on the same trace
 * once every compiled measurement is done, and the ratio is printed. `--sets a,b,…` runs only those
 * (names looked for as above, or paths: e.g. acl2..5, fw2..5, ipc2 made with classbench-sets.sh's
 * way from the other seed files, to check the classifier is not tuned to the three sets alone).
 * Any mismatch → non-zero exit.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchClassify, fmtRate } from './bench';
import { parseClassBenchRules } from './format';
import { cornerTrace } from './generator';

export const CLASSBENCH_SETS = ['acl1_10k', 'fw1_10k', 'ipc1_10k', 'acl1_100k', 'fw1_100k', 'ipc1_100k'];

const root = fileURLToPath(new URL('../../../', import.meta.url));
const CACHE = `${root}.cache/classbench`;
const PLACES = [`${root}../shared/perf-data`, CACHE];

/** The path of a set, generating the missing ones first when DFW_CLASSBENCH_SRC names a ClassBench checkout. */
export function findClassBenchSet(name: string): string | undefined {
  const found = () => PLACES.map((dir) => `${dir}/${name}`).find((p) => existsSync(p));
  const src = process.env.DFW_CLASSBENCH_SRC;
  if (!found() && src) execFileSync('bash', [`${root}scripts/classbench-sets.sh`, src, CACHE], { stdio: 'inherit' });
  return found();
}

interface NativeRates {
  tupleMerge: number;
  partitionSort: number;
}

/** Native TupleMerge (offline) and PartitionSort on the same rules and trace: lookups per second from their own classification times. */
function runNative(main: string, rules: string, trace: string, headers: number): NativeRates {
  const out = execFileSync(main, [`f=${rules}`, `p=${trace}`, 'c=TMOffline,PartitionSort'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (algo: string) => {
    const m = new RegExp(`${algo}[\\s\\S]*?Classification time: ([\\d.]+) s`).exec(out);
    if (!m) throw new Error(`no ${algo} classification time in the native output:\n${out.slice(0, 400)}`);
    return Number(m[1]);
  };
  return { tupleMerge: headers / seconds('TupleMerge'), partitionSort: headers / seconds('PartitionSort') };
}

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

export async function benchClassBenchSuite(print: (line: string) => void, argv: string[]): Promise<void> {
  const size = Number(arg(argv, '--trace-size') ?? 1_000_000);
  if (!(Number.isInteger(size) && size > 0)) throw new Error(`--trace-size wants a positive number of headers, not "${arg(argv, '--trace-size')}"`);
  const native = process.env.DFW_NATIVE_TUPLEMERGE;
  print(`ClassBench sets, ${size.toLocaleString('en')}-header corner trace each (target: ≥ native TupleMerge on the same trace, ≥ 5 M/s at 10k; build ≤ 100 ms at 10k, ≤ 400 ms at 100k; 0 mismatches)`);
  print('(rates by the wall clock, as native TupleMerge reports its own; on a loaded machine compare runs by the CPU-time figures: the wall clock there mostly measures the other processes)');
  if (!native) print('(set DFW_NATIVE_TUPLEMERGE=path/to/tuplemerge/main to measure native TupleMerge and PartitionSort beside it)');
  const picked = arg(argv, '--sets')?.split(',').filter(Boolean) ?? CLASSBENCH_SETS;
  // Native runs come after every compiled measurement: a build measured right after one (and its
  // trace file written) took 600-660 ms of CPU instead of 236-268 for the same set in the same process.
  const lines: { name: string; file: string; r: ReturnType<typeof benchClassify> }[] = [];
  for (const wanted of picked) {
    const name = basename(wanted);
    const file = wanted.includes('/') ? (existsSync(wanted) ? wanted : undefined) : findClassBenchSet(name);
    if (!file) {
      print(`  ${name}: not found in ${PLACES.join(' or ')}; generate it with bash scripts/classbench-sets.sh CLASSBENCH_CHECKOUT`);
      continue;
    }
    const specs = parseClassBenchRules(readFileSync(file, 'utf8'));
    const r = benchClassify(specs, cornerTrace(specs, size), specs.length > 20_000 ? 3000 : 2000, 1000);
    if (r.mismatches > 0) process.exitCode = 1;
    lines.push({ name, file, r });
  }
  for (const { name, file, r } of lines) {
    let versus = '';
    if (native) {
      const trace = `${CACHE}/${name}.trace`;
      const headers = cornerTrace(parseClassBenchRules(readFileSync(file, 'utf8')), size); // the same headers again (seeded)
      writeFileSync(trace, headers.map((h, i) => `${h.src >>> 0}\t${h.dst >>> 0}\t${h.sport}\t${h.dport}\t${h.proto}\t${i}\t${i}\n`).join(''));
      const n = runNative(native, file, trace, headers.length);
      versus = ` | native TupleMerge ${fmtRate(n.tupleMerge)}, PartitionSort ${fmtRate(n.partitionSort)} → compiled / TupleMerge ${(r.compiledLookupsPerSec / n.tupleMerge).toFixed(2)}`;
    }
    const buildTarget = r.rules > 20_000 ? 400 : 100;
    print(`  ${name.padEnd(9)} ${String(r.rules).padStart(6)} rules: compiled ${fmtRate(r.compiledLookupsPerSec)} (${fmtRate(r.compiledLookupsPerCpuSec)} of CPU time)${versus} | build ${r.buildMs.toFixed(0)} ms, CPU ${r.buildCpuMs.toFixed(0)} ms (≤ ${buildTarget}), ${r.tables} tables (${r.leadingTables} leading), ${(r.bytes / r.rules).toFixed(0)} B/rule | mismatches ${r.mismatches} of ${r.checked} checked${r.mismatches ? ' — MISMATCH' : ''}`);
  }
}
