/** Foundation figures: classroom boot time in Node, and probe exchanges through the full in-process path. */
import { Lab } from '../../workers/lab/lab';
import { LabApi } from '../../workers/lab/lab-api';
import { buildLab } from '../../workers/lab/presets/build-lab';
import { inProcessTransport } from '../../workers/transports';

export async function benchLab(print: (line: string) => void, probes = 100_000): Promise<void> {
  const boots = 20;
  let t0 = performance.now();
  for (let i = 0; i < boots; i++) (await Lab.boot(buildLab(), inProcessTransport)).dispose();
  print(`lab boot (classroom preset, in-process, Node): ${((performance.now() - t0) / boots).toFixed(2)} ms`);

  const api = new LabApi(await Lab.boot(buildLab(), inProcessTransport));
  await api.probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 }); // warm ARP caches and the JIT
  t0 = performance.now();
  let allowed = 0;
  for (let i = 0; i < probes; i++) {
    const r = await api.probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
    if (r.verdict === 'allowed') allowed++;
  }
  const ms = performance.now() - t0;
  print(
    `probe exchanges web-sv-01a (esxcomp-01a) → db-sv-01a (esxcomp-02a) tcp/3306, 8 segments each, full in-process path: ` +
      `${probes} in ${(ms / 1000).toFixed(2)} s = ${Math.round(probes / (ms / 1000))} exchanges/s (${allowed} allowed)`,
  );
}
