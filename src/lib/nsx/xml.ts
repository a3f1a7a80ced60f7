/**
 * XML helpers for the NSX screens not yet on the NSX codec (grouping objects, SpoofGuard and
 * saved configurations are: objects-xml.ts): read what xml-parser.ts parsed (plain objects, with
 * known repeating elements always as arrays) and escape text. The parser itself (fast-xml-parser) is
 * in xml-parser.ts, loaded when a screen first reads a response: the first screen needs none.
 */

/** Elements that can repeat in NSX-V bodies; they always parse as arrays. */
export const REPEATING = new Set([
  'section',
  'rule',
  'source',
  'destination',
  'service',
  'appliedTo',
  'excludeMember',
  'member',
  'basicinfo',
  'clusterStatus',
  'hostStatus',
  'securityPolicy',
  'securityGroupBinding',
  'action',
  'application',
  'flowStatsTcpUdp',
]);

/** What the parser gives for an element or attribute: its text, an object of its children and `@attributes`, or (repeating) a list of them. */
export type XmlValue = string | XmlObject | XmlValue[] | null | undefined;
export type XmlObject = { [name: string]: XmlValue };

/** A child object, or an empty one, so that lookups chain without checks. */
export function obj(v: XmlValue): XmlObject {
  if (Array.isArray(v)) return obj(v[0]);
  return v && typeof v === 'object' ? v : {};
}

export function list(v: XmlValue): XmlObject[] {
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]).map(obj);
}

/** Text of a child element or attribute (`@name`), whichever the server used. */
export function str(o: XmlObject, key: string): string {
  let v = o[key] ?? o[`@${key}`];
  // Names that repeat elsewhere (`action`) parse as arrays everywhere: take the first.
  if (Array.isArray(v)) v = v[0];
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return String((v as XmlObject)['#text'] ?? '');
  return String(v);
}

export function num(o: XmlObject, key: string): number {
  const n = Number(str(o, key));
  return Number.isFinite(n) ? n : 0;
}

export function bool(o: XmlObject, key: string, fallback = false): boolean {
  const v = str(o, key).toLowerCase();
  return v === '' ? fallback : v === 'true';
}

export function esc(text: string | number | boolean): string {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
