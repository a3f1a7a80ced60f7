/**
 * `npm run bench`: prints the project's performance figures on this machine. Not a test:
 * nothing here passes or fails, it measures. Pick sections by name (`npm run bench -- kernel`);
 * `--quick` shortens the long loops; `--classbench FILE [--trace FILE] [--json]` runs the
 * kernel classifier on a ClassBench filter set.
 */
import { existsSync } from 'node:fs';
import { benchKernel } from '../test/bench/kernel';
import { benchLab } from '../test/bench/lab';
import { benchManagerPublish } from '../test/bench/manager-publish';

type Print = (line: string) => void;
type Bench = (print: Print, argv: string[]) => Promise<void>;

/** Benches whose module may not exist in every build are loaded by path. */
const optional = (path: string, name: string): Bench => async (print, argv) => {
  if (!existsSync(new URL(`../${path}.ts`, import.meta.url))) return print(`(${path} is not part of this build)`);
  const mod = (await import(`../${path}.ts`)) as Record<string, (p: Print, a: string[]) => Promise<void>>;
  await mod[name](print, argv);
};

const sections: Record<string, Bench> = {
  lab: (print, argv) => benchLab(print, argv.includes('--quick') ? 2_000 : 100_000),
  kernel: (print, argv) => benchKernel(print, argv),
  manager: (print) => benchManagerPublish(print),
  classbench: optional('test/bench/classbench/suite', 'benchClassBenchSuite'),
  controlplane: optional('test/bench/controlplane', 'benchControlPlane'),
  storage: optional('test/bench/storage', 'benchStorage'),
  memory: optional('test/bench/memory', 'benchMemory'),
  ui: optional('test/bench/ui', 'benchUi'),
  lesson: optional('test/bench/lesson', 'benchLesson'),
};

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const picked = argv.includes('--classbench') ? ['kernel'] : argv.filter((a) => a in sections);
const print: Print = json ? (line) => console.log(line) : (line) => console.log(`  ${line}`);
for (const name of picked.length ? picked : Object.keys(sections)) {
  if (!json) console.log(`\n${name}`);
  await sections[name](print, argv);
}
