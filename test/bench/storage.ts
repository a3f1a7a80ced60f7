/**
 * Storage figures in Chromium: save and load of a large lab (10k firewall rules, 500 VMs)
 * through the built app's own IndexedDB store. Drives headless Debian Chromium against
 * `vite preview` of `dist/` (run `npx vite build` first), which this bench starts and stops.
 * The store marks every save and load with performance.measure('dfw-lab:save' | 'dfw-lab:load');
 * the figures are read from those marks, so nothing test-only ships in the app.
 */
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';
import { CLASSROOM, buildLab } from '../../workers/lab/presets/build-lab';
import type { Preset } from '../../workers/lab/presets/preset';
import type { LabDocument } from '../../workers/lab/lab-document';

const PORT = 4183;
const ROUNDS = 5;
const RULES = 10_000;
const VMS = 500;

/** The classroom preset grown to 500 VMs, plus an NSX Manager state holding 10k rules. */
export function largeLab(): LabDocument {
  const preset: Preset = structuredClone(CLASSROOM);
  const workloads = ['virtualwire-1', 'virtualwire-2', 'virtualwire-3'];
  const hosts = preset.hosts.filter((h) => h.cluster !== 'domain-c7').map((h) => h.moid);
  for (let i = preset.vms.length; i < VMS; i++) {
    const n = 1000 + i;
    const net = workloads[i % 3];
    const hex = n.toString(16).padStart(4, '0');
    preset.vms.push({
      ...preset.vms[3], moid: `vm-${n}`, name: `bench-vm-${n}`, host: hosts[i % hosts.length], worldId: 40_000 + i,
      uuid: `5013bcd8-${hex}-4c6e-9a11-00000000${hex}`, computerName: `bench-vm-${n}.corp.local`,
      nic: { mac: `00:50:56:a2:${hex.slice(0, 2)}:${hex.slice(2)}`, network: net, ip: `172.16.${10 * (1 + (i % 3))}.${20 + Math.floor(i / 3)}` },
    });
  }
  const doc = buildLab(preset, 1, 'Storage bench lab');
  const rules = Array.from({ length: RULES }, (_, i) => ({
    id: 1000 + i, name: `rule ${i}`, disabled: false, logged: i % 7 === 0, action: i % 5 === 0 ? 'deny' : 'allow', appliedTo: [],
    sources: { excluded: false, members: [{ value: `securitygroup-${10 + (i % 40)}`, type: 'SecurityGroup' }] },
    destinations: { excluded: false, members: [{ value: `172.16.${10 * (1 + (i % 3))}.${i % 250}`, type: 'Ipv4Address' }] },
    services: [{ kind: 'raw', protocol: 6, destinationPort: String(1024 + (i % 6000)) }], direction: 'inout', packetType: 'any',
  }));
  const sections = Array.from({ length: 100 }, (_, s) => ({
    id: 1000 + s, name: `Section ${s}`, type: 'LAYER3', generationNumber: 1, timestamp: doc.clock, tcpStrict: false, stateless: false, useSid: false,
    rules: rules.slice(s * 100, s * 100 + 100),
  }));
  doc.components.manager = {
    type: 'manager',
    state: { format: 'dfw-lab/manager@1', config: { contextId: 'globalroot-0', generationNumber: 1, timestamp: doc.clock, layer3Sections: sections, layer2Sections: [] } },
    rng: [1, 2, 3, 4],
  };
  return doc;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function startPreview(): Promise<() => void> {
  // DFW_BENCH_DIST: serve a build made elsewhere (`npx vite build --outDir DIR`), leaving dist/ alone.
  const outDir = process.env.DFW_BENCH_DIST ? ['--outDir', process.env.DFW_BENCH_DIST] : [];
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort', ...outDir], { stdio: 'pipe', detached: true });
  await new Promise<void>((resolve, reject) => {
    const onData = (b: Buffer) => b.toString().includes(String(PORT)) && resolve();
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('exit', (code) => reject(new Error(`vite preview exited (${code}); run \`npx vite build\` first`)));
  });
  return () => process.kill(-server.pid!);
}

export async function benchStorage(print: (line: string) => void): Promise<void> {
  const doc = largeLab();
  const text = JSON.stringify(doc);
  const stop = await startPreview();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${PORT}/#/labs`);
    await page.getByTestId('save-status').waitFor();
    await page.getByRole('table', { name: 'Saved labs' }).getByText('Classroom datacenter', { exact: true }).waitFor();
    // All saves first, then all loads: opening a lab boots it in workers, which would compete for the CPU.
    const names = Array.from({ length: ROUNDS }, (_, i) => (i === 0 ? doc.name : `${doc.name} (${i + 1})`));
    for (const [i, name] of names.entries()) {
      await page.getByLabel('Import a lab (.json)').setInputFiles({ name: 'bench.json', mimeType: 'application/json', buffer: Buffer.from(text) });
      if (i > 0) await page.getByRole('dialog', { name: 'A lab with this name exists' }).getByRole('button', { name: 'Keep both' }).click();
      await page.getByTestId('labs-message').getByText(`Imported “${name}”.`).waitFor({ timeout: 60_000 });
    }
    for (const name of names) {
      const loads = await page.evaluate(() => performance.getEntriesByName('dfw-lab:load').length);
      await page.getByRole('button', { name: `Open ${name}`, exact: true }).click();
      await page.waitForFunction((n) => performance.getEntriesByName('dfw-lab:load').length > n, loads);
      await page.waitForFunction(() => location.hash === '#/', null, { timeout: 120_000 }); // the Labs screen leaves once the lab is open
      await page.evaluate(() => (location.hash = '/labs'));
    }
    // Only the large lab's saves and loads: the classroom lab is saved on the first visit too.
    // (No named functions inside evaluate: tsx would wrap them in a helper the page lacks.)
    const [bigSaves, bigLoads] = await page.evaluate((min) =>
      ['dfw-lab:save', 'dfw-lab:load'].map((name) =>
        (performance.getEntriesByName(name) as PerformanceMeasure[]).filter((e) => (e.detail as { bytes: number }).bytes >= min).map((e) => e.duration),
      ), text.length * 0.9);
    const mb = (text.length / 1024 / 1024).toFixed(1);
    if (bigSaves.length < ROUNDS || bigLoads.length < ROUNDS) throw new Error(`expected ${ROUNDS} saves and loads of the large lab, saw ${bigSaves.length} and ${bigLoads.length}`);
    print(`lab of ${RULES} rules and ${VMS} VMs (${mb} MB of JSON), IndexedDB in Chromium, median of ${ROUNDS} (target < 100 ms each):`);
    print(`  save (serialise + one transaction for summary and document): ${median(bigSaves).toFixed(1)} ms  [${bigSaves.map((x) => x.toFixed(0)).join(', ')}]`);
    print(`  load (read + parse + migrate + validate): ${median(bigLoads).toFixed(1)} ms  [${bigLoads.map((x) => x.toFixed(0)).join(', ')}]`);
  } finally {
    await browser.close();
    stop();
  }
}
