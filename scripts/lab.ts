/**
 * A lab without a browser: `npm run lab -- --serve [--preset classroom] [--port N] [--load FILE] [--save FILE]`.
 * Boots the lab on worker_threads (one thread per unit, as the app uses Web Workers) and serves
 * its NSX API on http://localhost:N/api/ with the app's basic authentication (admin / default,
 * read-only auditor / default). `--load` starts from an exported lab, `--save` writes the lab
 * back (the app's export format) when the process is stopped (Ctrl-C, SIGTERM).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Lab } from '../workers/lab/lab';
import { LabApi } from '../workers/lab/lab-api';
import type { LabDocument } from '../workers/lab/lab-document';
import { nodeWorkerTransport } from '../workers/lab/node-transport';
import { buildLab } from '../workers/lab/presets/build-lab';
import { describeRefusal, labToText, readLabText } from '../src/persistence/lab-file';
import { labApiServer } from './server/lab-api-server';

const USAGE = 'usage: npm run lab -- --serve [--preset classroom] [--port N] [--load FILE] [--save FILE] [--quiet]';
const DEFAULT_PORT = 4173;

interface Options {
  port: number;
  preset: string;
  load?: string;
  save?: string;
  quiet: boolean;
}

/** The options, or the message that explains what is wrong with them. */
function parseArgs(argv: string[]): Options | string {
  const opts: Options = { port: DEFAULT_PORT, preset: 'classroom', quiet: false };
  let serve = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
      return v;
    };
    try {
      if (a === '--serve') serve = true;
      else if (a === '--quiet') opts.quiet = true;
      else if (a === '--port') opts.port = Number(value());
      else if (a === '--preset') opts.preset = value();
      else if (a === '--load') opts.load = value();
      else if (a === '--save') opts.save = value();
      else return `unknown option ${a}`;
    } catch (err) {
      return (err as Error).message;
    }
  }
  if (!serve) return 'nothing to do: --serve runs the lab and serves its API';
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) return `--port must be a port number (0 picks a free one)`;
  if (opts.preset !== 'classroom') return `unknown preset ${opts.preset}: the only preset is classroom`;
  if (opts.load && argv.includes('--preset')) return '--load and --preset both say where to start: give one';
  return opts;
}

function startingDocument(opts: Options): LabDocument {
  if (!opts.load) return buildLab();
  let text: string;
  try {
    text = readFileSync(opts.load, 'utf8');
  } catch (err) {
    throw new Error(`${opts.load}: cannot read: ${(err as Error).message}`, { cause: err });
  }
  const read = readLabText(text);
  if (!read.ok) throw new Error(`${opts.load}: not a lab this version can open: ${describeRefusal(read)}`);
  return read.doc;
}

async function main(argv: string[]): Promise<void> {
  const opts = parseArgs(argv);
  if (typeof opts === 'string') {
    console.error(`${opts}\n${USAGE}`);
    process.exit(2);
  }
  const doc = startingDocument(opts);
  const api = new LabApi(await Lab.boot(doc, nodeWorkerTransport()));
  const server = labApiServer(api, { onExchange: opts.quiet ? undefined : (line) => console.log(line) });
  server.on('error', (err) => {
    console.error(`cannot serve on port ${opts.port}: ${err.message}`);
    api.lab.dispose();
    process.exit(1);
  });
  // localhost only: the lab's API is for this machine.
  server.listen(opts.port, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : opts.port;
    console.log(`› Headless lab "${doc.name}": NSX API at http://localhost:${port}/api/ (curl -u admin:default http://localhost:${port}/api/4.0/firewall/globalroot-0/config)`);
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.close();
    try {
      if (opts.save) {
        writeFileSync(opts.save, labToText(await api.lab.snapshot()));
        console.log(`› Lab saved to ${opts.save}`);
      }
    } catch (err) {
      console.error(`could not save the lab to ${opts.save}: ${(err as Error).message}`);
      process.exitCode = 1;
    } finally {
      api.lab.dispose();
      process.exit();
    }
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main(process.argv.slice(2)).catch((err) => {
  console.error(`lab: ${(err as Error).message}`);
  process.exit(1);
});
