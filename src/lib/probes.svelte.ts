/** The learner's traffic probes: the last result feeds the trace panel and the topology. */
import type { ProbeResult, ProbeSpec } from '../../workers/lab/lab-api';
import type { LabSession } from './lab-session.svelte';

export class Probes {
  last = $state.raw<ProbeResult | null>(null);
  running = $state(false);
  error = $state('');
  spec = $state<ProbeSpec>({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });

  constructor(private readonly session: LabSession) {}

  async send(spec: ProbeSpec = this.spec): Promise<ProbeResult | null> {
    const api = this.session.api;
    if (!api) return null;
    this.running = true;
    this.error = '';
    try {
      this.last = await api.probe({ ...spec, port: spec.proto === 'icmp' ? undefined : spec.port });
      return this.last;
    } catch (err) {
      this.error = (err as Error).message;
      return null;
    } finally {
      this.running = false;
    }
  }
}
