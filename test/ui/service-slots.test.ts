/** The object tabs' reading of slot 4 from `summarize-dvfilter`, on the host's real output. */
import { afterEach, describe, expect, it } from 'vitest';
import { serviceSlots } from '../../src/lib/inventory/service-slots';
import { buildLab } from '../../workers/lab/presets/build-lab';
import type { LabApi } from '../../workers/lab/lab-api';
import { boot } from '../scenario/helpers';
import { deployAcme } from '../partner/helpers';

let api: LabApi;
afterEach(() => api?.lab.dispose());

describe('slot 4 in the object tabs', () => {
  it('finds each protected vNIC\'s serviceinstance filter once a partner is deployed, none before', async () => {
    api = await boot(buildLab());
    const inv = await api.inventory();
    const web = inv.vms.find((v) => v.name === 'web-sv-01a')!;
    expect(serviceSlots(await api.host('esxcomp-01a', 'summarize-dvfilter')).size).toBe(0);
    await deployAcme(api, 'failOpen');
    const slots = serviceSlots(await api.host(web.host, 'summarize-dvfilter'));
    expect(slots.get(`${web.worldId}/eth0`)).toEqual({ name: `nic-${web.worldId}-eth0-serviceinstance-1.4`, agent: 'serviceinstance-1', failurePolicy: 'failOpen', vmState: 'Attached' });
    const onHost = inv.vms.filter((v) => v.host === web.host && v.powerState === 'poweredOn' && !/^(NSX|vcsa|nsxmgr)/i.test(v.name));
    expect(slots.size).toBeGreaterThan(0);
    expect(slots.size).toBeLessThanOrEqual(onHost.reduce((n, v) => n + v.vnics.length, 0));
  });
});
