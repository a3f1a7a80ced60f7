/** The lab's structured event log: every line carries the virtual time it happened at. */

type EventKind =
  /** NSX system events (codes like 301031) and lab-level notices. */
  | 'system'
  /** Who changed what in NSX Manager, with before/after. */
  | 'audit'
  /** A line a component wrote to one of its log files (vsfwd.log, dfwpktlogs.log, vsm.log). */
  | 'log'
  /** Inventory and lifecycle changes: power, vMotion, Tools, boot. */
  | 'inventory'
  /** Traffic outcomes: probes and sessions. */
  | 'traffic';

export type Severity = 'info' | 'warn' | 'error';

export interface LabEvent {
  /** Virtual time, epoch milliseconds on the lab clock. */
  t: number;
  /** Emitting component id (`vcenter`, `host-20`, `manager`, …). */
  source: string;
  kind: EventKind;
  severity: Severity;
  text: string;
  /** NSX event code where one is known. */
  code?: number;
  /** For `log` events: the file the line belongs to, e.g. `/var/log/vsfwd.log`. */
  file?: string;
  data?: Record<string, unknown>;
}

export type EventInput = Omit<LabEvent, 't' | 'source' | 'severity'> & { severity?: Severity };

/** One line for consoles and the event panel: ISO time, source, text. */
export function formatEvent(e: LabEvent): string {
  const code = e.code !== undefined ? ` [${e.code}]` : '';
  return `${new Date(e.t).toISOString()} ${e.source}${code} ${e.text}`;
}
