/** The trace panel on an unprepared host: the probe's hop there says the host has no NSX, not "allowed by a rule". */
import { describe, expect, it } from 'vitest';
import { explainRecord, explainVerdict } from '../../src/lib/trace-explain';
import { Lab } from '../../workers/lab/lab';
import { LabApi } from '../../workers/lab/lab-api';
import { buildLab } from '../../workers/lab/presets/build-lab';
import { withUnpreparedClusters } from '../../workers/lab/presets/unprepared';
import { inProcessTransport } from '../../workers/transports';

describe('trace on an unprepared host', () => {
  it('explains the missing dvfilter slots, and the verdict names no rule', async () => {
    const api = new LabApi(await Lab.boot(withUnpreparedClusters(buildLab(), ['domain-c26']), inProcessTransport));
    const probe = await api.probe({ from: 'web-sv-02a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
    const hop = probe.trace.find((t) => t.component === 'host-30' && t.reason === 'not-prepared' && !t.packet?.startsWith('ARP'))!;
    expect(hop.hop).toBe('web-sv-02a vNIC eth0 (out)');
    expect(explainRecord(hop)).toBe('The host is not prepared for NSX (no VIBs): its vNICs have no dvfilter slots, so the distributed firewall never sees this packet.');
    expect(probe.by).toBe('no-filter');
    expect(explainVerdict(probe)).toContain('without meeting a firewall filter');
  });
});
