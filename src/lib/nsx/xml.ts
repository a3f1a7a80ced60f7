/**
 * XML helpers for the NSX screens, over fast-xml-parser: read a response into plain objects
 * with known repeating elements always as arrays, pretty-print any body, escape text.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/** Elements that can repeat in NSX-V bodies; they always parse as arrays. */
const REPEATING = new Set([
  'section',
  'rule',
  'source',
  'destination',
  'service',
  'appliedTo',
  'excludeMember',
  'securityTag',
  'securitygroup',
  'member',
  'basicinfo',
  'firewallDraft',
  'clusterStatus',
  'hostStatus',
  'spoofguardPolicy',
  'enforcementPoint',
  'spoofguard',
  'ipAddress',
  'securityPolicy',
  'securityGroupBinding',
  'action',
  'application',
  'ipset',
  'dynamicSet',
  'dynamicCriteria',
  'flowStatsTcpUdp',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => REPEATING.has(name),
});

/** What the parser gives for an element or attribute: its text, an object of its children and `@attributes`, or (repeating) a list of them. */
export type XmlValue = string | XmlObject | XmlValue[] | null | undefined;
export type XmlObject = { [name: string]: XmlValue };

export function parseXml(text: string): XmlObject {
  return parser.parse(text) as XmlObject;
}

/** A child object, or an empty one, so that lookups chain without checks. */
export function obj(v: XmlValue): XmlObject {
  if (Array.isArray(v)) return obj(v[0]);
  return v && typeof v === 'object' ? v : {};
}

export function list(v: XmlValue): XmlObject[] {
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]).map(obj);
}

/** The texts of a repeating leaf element (`<ipAddress>` under `<approvedIpAddress>`). */
export function texts(v: XmlValue): string[] {
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]).map((x) => (x && typeof x === 'object' && !Array.isArray(x) ? String(x['#text'] ?? '') : String(x)));
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

const orderedParser = new XMLParser({ ignoreAttributes: false, preserveOrder: true, parseTagValue: false, parseAttributeValue: false, trimValues: true, commentPropName: '#comment' });
const prettyBuilder = new XMLBuilder({ ignoreAttributes: false, preserveOrder: true, format: true, indentBy: '  ', suppressEmptyNode: true, commentPropName: '#comment' });

/** Indents an XML document; returns the text unchanged when it is not XML. */
export function formatXml(text: string): string {
  const t = text.trim();
  if (!t.startsWith('<')) return text;
  try {
    return String(prettyBuilder.build(orderedParser.parse(t))).trim();
  } catch {
    return text;
  }
}

/** The `<details>` of an NSX `<error>` body, or the body itself. */
export function errorDetails(body: string): string {
  if (!body.trim().startsWith('<')) return body.trim();
  try {
    const e = obj(parseXml(body).error);
    return str(e, 'details') || body.trim();
  } catch {
    return body.trim();
  }
}
