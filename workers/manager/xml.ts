/** NSX Manager's XML: the shared reader and writer, and the field readers whose refusals are NSX API errors. */
import { ApiError } from './errors';
import { field, type XmlNode } from '../protocol/nsx-xml';

export * from '../protocol/nsx-xml';

/** `true` or `false` (any case); anything else, such as `maybe`, is a 400 rather than a silent false. */
export function boolField(node: XmlNode, name: string, fallback: boolean): boolean {
  const v = field(node, name);
  if (v === undefined) return fallback;
  const lower = v.toLowerCase();
  if (lower !== 'true' && lower !== 'false') throw new ApiError('badRequest', `${name} must be true or false, not "${v.slice(0, 40)}"`);
  return lower === 'true';
}

/** A whole number written as digits (an optional minus); `-1e20`, `1.5` or `0x10` are a 400. */
export function intField(node: XmlNode, name: string): number | undefined {
  const v = field(node, name);
  if (v === undefined) return undefined;
  if (!/^-?\d{1,15}$/.test(v)) throw new ApiError('badRequest', `${name} must be a whole number, not "${v.slice(0, 40)}"`);
  return Number(v);
}
