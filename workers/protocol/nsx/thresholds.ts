/**
 * The DFW's event thresholds (GET/PUT /api/4.0/firewall/stats/eventthresholds) ⇄ their XML:
 * NSX Manager answers and applies them, the Charts screen shows and sets them.
 */
import { child, el, leaf, type XmlNode } from '../nsx-xml';
import { decoded, intField, NsxValueError, type Decoded } from './fields';

export interface EventThresholds {
  cpuPercent: number;
  memoryPercent: number;
  connectionsPerSecond: number;
}

export function encodeThresholds(t: EventThresholds): XmlNode {
  return el('eventThresholds', {}, el('cpu', {}, leaf('percentValue', t.cpuPercent)), el('memory', {}, leaf('percentValue', t.memoryPercent)), el('connectionsPerSecond', {}, leaf('value', t.connectionsPerSecond)));
}

/** The thresholds a body sets; one it leaves out keeps its value (a PUT may send only the CPU). */
export function decodeThresholds(node: XmlNode): Decoded<Partial<EventThresholds>> {
  return decoded(() => {
    if (node.tag !== 'eventThresholds') throw new NsxValueError(`Expected <eventThresholds>, got <${node.tag}>`);
    const out: Partial<EventThresholds> = {};
    const pct = (tag: string) => {
      const n = child(node, tag);
      const v = n ? intField(n, 'percentValue') : undefined;
      if (v !== undefined && (v < 0 || v > 100)) throw new NsxValueError(`${tag} percentValue must be 0-100`);
      return v;
    };
    const cpu = pct('cpu');
    const memory = pct('memory');
    const cpsNode = child(node, 'connectionsPerSecond');
    const cps = cpsNode ? intField(cpsNode, 'value') : undefined;
    if (cps !== undefined && cps < 0) throw new NsxValueError('connectionsPerSecond value must not be negative');
    if (cpu !== undefined) out.cpuPercent = cpu;
    if (memory !== undefined) out.memoryPercent = memory;
    if (cps !== undefined) out.connectionsPerSecond = cps;
    return out;
  });
}
