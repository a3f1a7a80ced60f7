/**
 * XML in and out for the NSX API, on top of fast-xml-parser. Bodies are parsed into a small
 * ordered tree so that handlers can read a field whether a client sent it as an attribute or
 * as a child element (PowerNSX and nsxramlclient differ), and built back from the same tree.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlNode {
  tag: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const TEXT = '#text';
const ATTRS = ':@';

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  allowBooleanAttributes: true,
  // Clients that build bodies from the XSDs send `<ns2:section xmlns:ns2="…">`: NSX reads the
  // local names, and so do we (xmlns attributes are dropped too).
  removeNSPrefix: true,
});

const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  suppressEmptyNode: true,
  processEntities: true,
});

export class XmlSyntaxError extends Error {}

type Ordered = Record<string, unknown>;

function fromOrdered(entry: Ordered): XmlNode | string | null {
  if (TEXT in entry) return String(entry[TEXT]);
  const tag = Object.keys(entry).find((k) => k !== ATTRS);
  if (!tag) return null;
  const node: XmlNode = { tag, attrs: {}, children: [], text: '' };
  const attrs = entry[ATTRS] as Record<string, unknown> | undefined;
  if (attrs) for (const [k, v] of Object.entries(attrs)) node.attrs[k] = v === true ? '' : String(v);
  for (const child of (entry[tag] as Ordered[]) ?? []) {
    const c = fromOrdered(child);
    if (typeof c === 'string') node.text += c;
    else if (c) node.children.push(c);
  }
  return node;
}

/** Parses one XML document; throws XmlSyntaxError with the parser's reason on bad input. */
export function parseXml(body: string | undefined): XmlNode {
  const text = (body ?? '').trim();
  if (!text) throw new XmlSyntaxError('Request body is empty; an XML document was expected');
  const check = XMLValidator.validate(text);
  if (check !== true) {
    throw new XmlSyntaxError(`Invalid XML at line ${check.err.line}${check.err.col ? `, column ${check.err.col}` : ''}: ${check.err.msg}`);
  }
  const roots = (parser.parse(text) as Ordered[]).map(fromOrdered).filter((n): n is XmlNode => !!n && typeof n !== 'string');
  if (roots.length !== 1) throw new XmlSyntaxError('Expected exactly one root element');
  return roots[0]!;
}

function toOrdered(node: XmlNode): Ordered {
  const body: Ordered[] = [];
  if (node.text !== '') body.push({ [TEXT]: node.text });
  for (const c of node.children) body.push(toOrdered(c));
  const out: Ordered = { [node.tag]: body };
  const attrs = Object.entries(node.attrs);
  if (attrs.length) out[ATTRS] = Object.fromEntries(attrs);
  return out;
}

export function buildXml(root: XmlNode): string {
  return builder.build([toOrdered(root)]) as string;
}

// ---- construction helpers -------------------------------------------------

type Child = XmlNode | null | undefined | false;

/** An element with attributes and children; `null`/`undefined` children are skipped. */
export function el(tag: string, attrs: Record<string, string | number | boolean | undefined> = {}, ...children: Child[]): XmlNode {
  const a: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) a[k] = String(v);
  return { tag, attrs: a, children: children.filter((c): c is XmlNode => !!c), text: '' };
}

/** A leaf element holding text; `undefined` yields no element. */
export function leaf(tag: string, value: string | number | boolean | undefined | null): XmlNode | null {
  if (value === undefined || value === null) return null;
  return { tag, attrs: {}, children: [], text: String(value) };
}

// ---- reading helpers -------------------------------------------------------

export function child(node: XmlNode, tag: string): XmlNode | undefined {
  return node.children.find((c) => c.tag === tag);
}

export function childrenOf(node: XmlNode | undefined, tag: string): XmlNode[] {
  return node ? node.children.filter((c) => c.tag === tag) : [];
}

/** A field sent either as an attribute or as a child element's text; empty counts as absent. */
export function field(node: XmlNode, name: string): string | undefined {
  const a = node.attrs[name];
  if (a !== undefined && a.trim() !== '') return a.trim();
  const c = child(node, name);
  if (c && c.text.trim() !== '') return c.text.trim();
  return undefined;
}

export function boolField(node: XmlNode, name: string, fallback: boolean): boolean {
  const v = field(node, name);
  if (v === undefined) return fallback;
  return v.toLowerCase() === 'true';
}

export function intField(node: XmlNode, name: string): number | undefined {
  const v = field(node, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
