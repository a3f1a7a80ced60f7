/**
 * Can the admin workstation reach vCenter (HTTPS to vcsa-01a)? Checked through the simulated
 * network after operations that may change it, so a learner who blocks that path feels the
 * lockout in the vSphere screens.
 */
import type { LabSession } from './lab-session.svelte';

export class VCenterReach {
  state = $state<'unknown' | 'up' | 'down'>('unknown');
  reason = $state('');
  ruleId = $state<number | undefined>(undefined);
  private checking: Promise<void> | null = null;

  constructor(private readonly session: LabSession) {}

  check(): Promise<void> {
    // Collapse bursts of operations into one probe.
    this.checking ??= this.run().finally(() => (this.checking = null));
    return this.checking;
  }

  private async run(): Promise<void> {
    const api = this.session.api;
    if (!api) return;
    try {
      const r = await api.reach('vcenter');
      this.state = r.verdict === 'allowed' ? 'up' : 'down';
      this.ruleId = r.ruleId;
      this.reason = r.verdict === 'allowed' ? '' : `HTTPS from admin-ws (192.168.110.10) to vcsa-01a (${r.dstIp}) did not complete: ${r.detail}`;
    } catch (err) {
      this.state = 'down';
      this.reason = (err as Error).message;
    }
  }
}
