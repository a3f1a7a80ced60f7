/**
 * Issue 17 item 3: the app shows its lab before the units (workers) have loaded. Lab.start
 * hands back the lab at once; every operation waits for the units, and the screens read the
 * document's inventory meanwhile, which must be what vCenter answers first.
 */
import { describe, expect, it } from 'vitest';
import { Lab } from '../../workers/lab/lab';
import { LabApi } from '../../workers/lab/lab-api';
import type { Transport } from '../../workers/lab/transport';
import { buildLab } from '../../workers/lab/presets/build-lab';
import { inProcessTransport } from '../../workers/transports';
import { settledDocument } from '../../scripts/settled-classroom';

/** The in-process transport, with every unit's load held until `open()` (or failed for `failing`). */
function gatedTransport(failing?: string): { transport: Transport; open: () => void; loads: string[] } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const loads: string[] = [];
  const transport: Transport = (unitId, types) => {
    const unit = inProcessTransport(unitId, types);
    return {
      ...unit,
      load: async (docs) => {
        await gate;
        if (unitId === failing) throw new Error(`${unitId}: its script did not load`);
        await unit.load(docs);
        loads.push(unitId);
      },
    };
  };
  return { transport, open, loads };
}

/** Lets every promise callback queued so far run (and the ones they queue). */
const drain = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('a lab started before its units have loaded', () => {
  it('shows the settled document’s inventory at once, which vCenter then answers, and runs operations only once every unit has loaded', async () => {
    const { transport, open, loads } = gatedTransport();
    const lab = Lab.start(settledDocument, transport);
    const api = new LabApi(lab);
    const shown = api.bootInventory();
    expect(shown?.vms.find((v) => v.moid === 'vm-36')?.guestIps).toContain('172.16.10.11');

    let answered = false;
    const asked = api.inventory().then((inv) => ((answered = true), inv));
    await drain();
    expect(answered).toBe(false);
    expect(loads).toEqual([]);

    open();
    expect(await asked).toEqual(shown);
    expect(loads.sort()).toEqual(['bus', 'fabric', 'host-10', 'host-20', 'host-21', 'host-30', 'manager']);
    await lab.loaded;
    lab.dispose();
  });

  it('fails every operation, and `loaded`, with the reason when a unit does not load', async () => {
    const { transport, open } = gatedTransport('host-20');
    const lab = Lab.start(buildLab(), transport);
    const api = new LabApi(lab);
    const probe = api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 });
    open();
    await expect(probe).rejects.toThrow('host-20: its script did not load');
    await expect(lab.loaded).rejects.toThrow('host-20: its script did not load');
    await expect(api.inventory()).rejects.toThrow('host-20: its script did not load');
    lab.dispose();
  });

  it('has no inventory to show before its units answer when the document holds no vCenter', () => {
    const { vcenter: _, ...components } = buildLab().components;
    const lab = Lab.start({ ...buildLab(), components }, gatedTransport().transport);
    expect(new LabApi(lab).bootInventory()).toBeNull();
    lab.dispose();
  });
});
