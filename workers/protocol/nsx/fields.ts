/**
 * Typed fields of NSX XML bodies. A value that does not fit is a `NsxValueError` with the reason
 * NSX Manager answers with (as a 400 with an NSX error body, workers/manager/xml.ts); the
 * screens never see one, since they read only what the manager wrote.
 */
import { field, type XmlNode } from '../nsx-xml';

/** A body that is XML but not the NSX object it should be; `message` is the error's details. */
export class NsxValueError extends Error {}

/** What a decoder gives: the typed value, or why the body is not one. */
export type Decoded<T> = { ok: true; value: T } | { ok: false; error: NsxValueError };

/** Runs a decoder that throws NsxValueError and hands back its result or its error. */
export function decoded<T>(read: () => T): Decoded<T> {
  try {
    return { ok: true, value: read() };
  } catch (err) {
    if (err instanceof NsxValueError) return { ok: false, error: err };
    throw err;
  }
}

/** `true` or `false` (any case); anything else, such as `maybe`, is refused rather than read as false. */
export function boolField(node: XmlNode, name: string, fallback: boolean): boolean {
  const v = field(node, name);
  if (v === undefined) return fallback;
  const lower = v.toLowerCase();
  if (lower !== 'true' && lower !== 'false') throw new NsxValueError(`${name} must be true or false, not "${v.slice(0, 40)}"`);
  return lower === 'true';
}

/** A whole number written as digits (an optional minus); `-1e20`, `1.5` or `0x10` are refused. */
export function intField(node: XmlNode, name: string): number | undefined {
  const v = field(node, name);
  if (v === undefined) return undefined;
  if (!/^-?\d{1,15}$/.test(v)) throw new NsxValueError(`${name} must be a whole number, not "${v.slice(0, 40)}"`);
  return Number(v);
}

/** Refuses a body whose root (or an item) is not the element it should be. */
export function expectTag(node: XmlNode, tag: string): void {
  if (node.tag !== tag) throw new NsxValueError(`Expected <${tag}>, got <${node.tag}>`);
}

/** The named fields a node has (attribute or child, not empty), for a value's optional parts. */
export function presentFields<K extends string>(node: XmlNode, names: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const name of names) {
    const v = field(node, name);
    if (v !== undefined) out[name] = v;
  }
  return out;
}
