/**
 * What an autosave writes after the screens' reads: the 10k-rule lab in Node (in-process), saved
 * once whole, then N REST GETs of the firewall configuration (what the Firewall and Publish
 * status screens poll), then the next save's diff (Lab.changedParts). A GET is a query: the
 * revision stays (the app starts no autosave) and NSX Manager is not serialised again. A GET
 * taken for a change moves the revision and re-serialises its 10k rules in the diff, whose
 * hashes then match the store (nothing written): the CPU figure shows that work.
 */
import { Lab } from '../../workers/lab/lab';
import { LabApi } from '../../workers/lab/lab-api';
import { inProcessTransport } from '../../workers/transports';
import { isComponentPart } from '../../workers/lab/lab-parts';
import { largeLab } from './large-lab';

const READS = 20;
const ROUNDS = 5;

export async function benchSaveAfterReads(print: (line: string) => void): Promise<void> {
  const api = new LabApi(await Lab.boot(largeLab(), inProcessTransport));
  try {
    await api.lab.settle();
    const cpuMs: number[] = [];
    let written = { parts: 0, chars: 0, moved: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const parts = await api.lab.snapshotParts();
      await api.lab.partsStored();
      const known = new Map(parts.map((p) => [p.key, p.hash]));
      const revision = api.lab.revision;
      for (let i = 0; i < READS; i++) await api.rest({ method: 'GET', path: '/api/4.0/firewall/globalroot-0/config' });
      const cpu = process.cpuUsage();
      const changes = (await api.lab.changedParts(known))!;
      const used = process.cpuUsage(cpu);
      cpuMs.push((used.user + used.system) / 1000);
      const put = changes.put.filter((p) => isComponentPart(p.key));
      written = { parts: put.length, chars: put.reduce((n, p) => n + (p.json?.length ?? 0), 0), moved: api.lab.revision - revision };
    }
    cpuMs.sort((a, b) => a - b);
    print(`autosave after ${READS} REST GETs of the firewall configuration (10k-rule lab, Node, in-process): the revision moved by ${written.moved} (target 0); a save would write ${written.parts} component parts / ${(written.chars / 1024).toFixed(0)} k chars; Lab.changedParts (re-serialising what the GETs touched) CPU min ${cpuMs[0]!.toFixed(1)} / median ${cpuMs[Math.floor(ROUNDS / 2)]!.toFixed(1)} ms  [${cpuMs.map((x) => x.toFixed(0)).join(', ')}]`);
  } finally {
    api.lab.dispose();
  }
}
