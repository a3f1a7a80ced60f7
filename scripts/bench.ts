/**
 * `npm run bench`: prints the project's performance figures on this machine. Not a test:
 * nothing here passes or fails, it measures. Sections can be picked: `npm run bench -- lab kernel`.
 */
import { benchLab } from '../test/bench/lab';

type Bench = (print: (line: string) => void, argv: string[]) => Promise<void>;

const sections: Record<string, Bench> = {
  lab: (print, argv) => benchLab(print, argv.includes('--quick') ? 2_000 : 100_000),
};

const argv = process.argv.slice(2);
const picked = argv.filter((a) => a in sections);
const print = (line: string) => console.log(`  ${line}`);
for (const name of picked.length ? picked : Object.keys(sections)) {
  console.log(`\n${name}`);
  await sections[name](print, argv);
}
