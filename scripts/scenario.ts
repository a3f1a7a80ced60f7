/**
 * The headless scenario runner: `npm run scenario -- FILE [--solve] [--verbose]`.
 * Plays the file on an in-process lab and prints one line per check (`ok` / `FAIL` with the
 * expected and actual values), then `N passed, N failed` alone on the last line.
 * Exit 0 when every check passed, 1 when one failed, 2 when the file is invalid.
 */
import { readFileSync } from 'node:fs';
import { Lab } from '../workers/lab/lab';
import { LabApi } from '../workers/lab/lab-api';
import { inProcessTransport } from '../workers/transports';
import { formatLine, runScenario } from '../workers/scenario/engine';
import { parseScenario } from '../workers/scenario/schema';

const USAGE = 'usage: npm run scenario -- FILE [--solve] [--verbose]';

async function main(argv: string[]): Promise<number> {
  const flags = argv.filter((a) => a.startsWith('--'));
  const files = argv.filter((a) => !a.startsWith('--'));
  const unknown = flags.filter((f) => f !== '--solve' && f !== '--verbose');
  if (files.length !== 1 || unknown.length) {
    console.error(unknown.length ? `unknown option ${unknown.join(' ')}\n${USAGE}` : USAGE);
    return 2;
  }
  const file = files[0];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    console.error(`${file}: cannot read: ${(err as Error).message}`);
    return 2;
  }
  const parsed = parseScenario(text);
  if (!parsed.ok) {
    console.error(`${file}: invalid scenario at ${parsed.path}: ${parsed.message}`);
    return 2;
  }
  const verbose = flags.includes('--verbose');
  const report = await runScenario(parsed.scenario, {
    boot: async (doc) => new LabApi(await Lab.boot(doc, inProcessTransport)),
    solve: flags.includes('--solve'),
    onLine: (l) => {
      if (l.kind === 'goal' || !l.ok || verbose) console.log(formatLine(l));
    },
  });
  report.api.lab.dispose();
  console.log(`${report.passed} passed, ${report.failed} failed`);
  return report.failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`scenario runner crashed: ${(err as Error).stack ?? err}`);
    process.exit(2);
  },
);
