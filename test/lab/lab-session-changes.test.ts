/**
 * The screens' lab session tells its listeners (autosave, the lesson's re-check) of a change only
 * when the lab moved: re-reading after a read, or after a goal check's dry run, schedules no save.
 */
import { describe, expect, it } from 'vitest';
import { LabSession } from '../../src/lib/lab-session.svelte';
import { buildLab } from '../../workers/lab/presets/build-lab';
import { inProcessTransport } from '../../workers/transports';

describe('LabSession change signal', () => {
  it('a re-read that finds the lab as it was is no change; one after a change is', async () => {
    const session = new LabSession();
    await session.boot(buildLab(), inProcessTransport);
    const api = session.api!;
    let heard = 0;
    session.onChange(() => heard++);
    await api.inventory();
    await api.dryRun((d) => d.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 }));
    await session.refresh();
    expect(heard).toBe(0);
    await api.power('db-sv-01a', 'off');
    await session.refresh();
    expect(heard).toBeGreaterThan(0);
    const afterPower = heard;
    await session.refresh();
    expect(heard).toBe(afterPower);
    session.keepWorkingCopy('firewall', undefined);
    expect(heard).toBe(afterPower + 1);
    session.dispose();
  });
});
