/**
 * `npm run lab -- --serve` (scripts/lab.ts): a lab on worker_threads serving the NSX API with
 * the app's basic authentication, driven with Node's fetch through the REST steps of two
 * lessons, each action and API check as the lesson file has them. Starts from `--load` of an
 * exported lab and, stopped with SIGINT, writes it back with `--save`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labToText, readLabText } from '../../src/persistence/lab-file';
import { buildLab } from '../../workers/lab/presets/build-lab';
import type { Results } from '../../workers/scenario/results';
import { parseScenario } from '../../workers/scenario/schema';
import { expandFields } from '../../workers/scenario/template';

const ADMIN = `Basic ${Buffer.from('admin:default').toString('base64')}`;
const AUDITOR = `Basic ${Buffer.from('auditor:default').toString('base64')}`;
const dir = mkdtempSync(join(tmpdir(), 'dfw-lab-serve-'));
const loadFile = join(dir, 'start.json');
const saveFile = join(dir, 'saved.json');
let child: ChildProcess;
let base = '';

beforeAll(async () => {
  const doc = buildLab();
  writeFileSync(loadFile, labToText({ ...doc, name: 'Loaded for the test' }));
  child = spawn(process.execPath, ['--import', 'tsx', 'scripts/lab.ts', '--serve', '--port', '0', '--load', loadFile, '--save', saveFile, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  base = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /NSX API at (http:\/\/localhost:\d+)\/api\//.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on('data', (d: Buffer) => (out += d));
    child.once('exit', (code) => reject(new Error(`lab exited with ${code}: ${out}`)));
  });
  expect(out).toContain('Loaded for the test');
}, 120_000);

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

async function send(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const res = await fetch(base + path, { method, headers: { Authorization: ADMIN, ...headers }, body });
  return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
}

/** Plays every api action (the step's `do`, then its solution) and checks every api check of a lesson. */
async function playRestSteps(file: string): Promise<number> {
  const parsed = parseScenario(readFileSync(file, 'utf8'));
  if (!parsed.ok) throw new Error(`${file}: ${parsed.message}`);
  const results: Results = new Map();
  let checked = 0;
  for (const [i, step] of parsed.scenario.steps.entries()) {
    for (const raw of [...(step.do ?? []), ...(step.solution ?? [])]) {
      if (raw.op !== 'api') continue;
      const a = expandFields(raw, results);
      const response = await send(a.method, a.path, a.headers, a.body);
      expect(response.status, `${file} step ${i + 1}: ${a.method} ${a.path}: ${response.body}`).toBeLessThan(500);
      if (a.as) results.set(a.as, { kind: 'api', request: { method: a.method, path: a.path }, response });
    }
    for (const raw of step.goal ?? []) {
      if (raw.check !== 'api') continue;
      const c = expandFields(raw, results);
      const response = await send(c.method, c.path, c.headers, c.body);
      if (c.status !== undefined) expect(response.status, `${file} step ${i + 1}: ${c.method} ${c.path}`).toBe(c.status);
      if (c.contains !== undefined) expect(response.body).toContain(c.contains);
      checked++;
    }
  }
  return checked;
}

describe('npm run lab -- --serve', () => {
  it('answers only with credentials: 403 without, 401 with wrong ones, 403 for auditor writes, 404 outside /api/', async () => {
    const none = await fetch(`${base}/api/4.0/firewall/globalroot-0/config`);
    expect(none.status).toBe(403);
    expect(await none.text()).toContain('Authorization header not provided');
    const wrong = await fetch(`${base}/api/4.0/firewall/globalroot-0/config`, { headers: { Authorization: `Basic ${btoa('admin:wrong')}` } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic/);
    const auditorRead = await fetch(`${base}/api/4.0/firewall/globalroot-0/config`, { headers: { Authorization: AUDITOR } });
    expect(auditorRead.status).toBe(200);
    const auditorWrite = await fetch(`${base}/api/4.0/firewall/globalroot-0/config`, { method: 'DELETE', headers: { Authorization: AUDITOR } });
    expect(auditorWrite.status).toBe(403);
    expect((await fetch(`${base}/`)).status).toBe(404);
  });

  it('plays the REST steps of "REST restore and saved configurations" as the lesson sends them', async () => {
    expect(await playRestSteps('public/scenarios/rest-restore.json')).toBeGreaterThanOrEqual(2); // the If-Match refusals (steps 2 and 3) are asked for in the text, not goals: they hold on arrival
    expect((await send('GET', '/api/4.0/firewall/globalroot-0/drafts')).body).toContain('Known good');
  }, 60_000);

  it('plays "Recover from the command line": block rule 1001, DELETE /config restores it, a new section by name', async () => {
    await playRestSteps('public/scenarios/recover-cli.json');
    const rule1001 = await send('GET', '/api/4.0/firewall/globalroot-0/config/layer3sections/1003/rules/1001');
    expect(rule1001.body).toContain('<action>allow</action>');
    const glass = await send('GET', '/api/4.0/firewall/globalroot-0/config/layer3sections?name=Break%20glass');
    expect(glass.status).toBe(200);
    expect(glass.headers.etag).toMatch(/^\d+$/);
  }, 60_000);

  it('writes the lab back to --save on SIGINT, readable as an exported lab', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const read = readLabText(readFileSync(saveFile, 'utf8'));
    expect(read.ok).toBe(true);
    if (read.ok) expect(read.doc.name).toBe('Loaded for the test');
    expect(readFileSync(saveFile, 'utf8')).toContain('Break glass');
  }, 60_000);
});
