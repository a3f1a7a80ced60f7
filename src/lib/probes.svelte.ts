/** The learner's traffic probes: the last result feeds the trace panel and the topology. */
import type { DialogCall, ProbeResult, ProbeSpec } from '../../workers/lab/lab-api';
import type { LabSession } from './lab-session.svelte';
import { ftpOutput } from '../../workers/lab/console-text';

export class Probes {
  last = $state.raw<ProbeResult | null>(null);
  running = $state(false);
  error = $state('');
  spec = $state<ProbeSpec>({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
  /** Instead of a probe, a whole FTP session (control and data connections in one trace). */
  ftp = $state<'' | 'passive' | 'active'>('');
  /** What the FTP client printed in the last session. */
  ftpTranscript = $state('');
  /** Instead of a probe, an Oracle session or an MS-RPC call: the listener / endpoint mapper, then the port it announces. */
  client = $state<'' | 'sqlplus' | 'rpcclient'>('');
  /** What that client printed. */
  clientOutput = $state('');

  constructor(private readonly session: LabSession) {}

  async send(spec: ProbeSpec = this.spec): Promise<ProbeResult | null> {
    this.running = true;
    this.error = '';
    try {
      // Sent from the last lab's kept view, before the lab has started: it goes once it has.
      const api = this.session.api ?? (await this.session.started());
      if (this.ftp) {
        const r = await api.ftpSession(spec.from, spec.to, this.ftp === 'passive');
        this.ftpTranscript = ftpOutput(r.session);
        this.last = r.result;
        return this.last;
      }
      this.ftpTranscript = '';
      if (this.client) {
        const call: DialogCall = this.client === 'sqlplus' ? { tool: 'sqlplus', port: 1521, args: { user: 'scott', service: 'ORCL' } } : { tool: 'rpcclient', port: 135, args: { command: 'srvinfo' } };
        const r = await api.dialogSession(spec.from, spec.to, call);
        this.clientOutput = r.text;
        this.last = r.result;
        return this.last;
      }
      this.clientOutput = '';
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
