/**
 * The Charts screen's event thresholds through the NSX codec (workers/protocol/nsx/thresholds.ts).
 * Imported on demand: its XML library is not part of the first screen's JavaScript.
 */
import { buildXml, parseXml } from '../../../workers/protocol/nsx-xml';
import { decodeThresholds, encodeThresholds, type EventThresholds } from '../../../workers/protocol/nsx/thresholds';

/** What GET /stats/eventthresholds answered. */
export function readThresholds(body: string): Partial<EventThresholds> {
  const read = decodeThresholds(parseXml(body));
  if (!read.ok) throw new Error(read.error.message);
  return read.value;
}

/** PUT /stats/eventthresholds's body. */
export const thresholdsXml = (t: EventThresholds): string => buildXml(encodeThresholds(t));
