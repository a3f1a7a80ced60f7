/**
 * XML in and out for the NSX API, on top of fast-xml-parser (NSX Manager answers with it, the
 * lab's own relay errors are built with it). Bodies are parsed into a small
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
  maxNestedTags: 100, // XML_LIMITS.depth
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

/**
 * What a request body may hold. NSX documents no size limits for its XML; these are the lab's
 * own, set so that the largest configuration the lab keeps (10,000 rules, see
 * config/limits.ts) still fits when read with GET and sent back with PUT.
 */
export const XML_LIMITS = {
  /** Characters in one body (8 Mi). */
  bodyChars: 8 * 1024 * 1024,
  /** Elements nested inside each other (fast-xml-parser's own guard). */
  depth: 100,
  /** Elements in one body. */
  elements: 400_000,
  /** Characters in a `name` (attribute or element), as NSX-T's display_name. */
  nameChars: 255,
  /** Characters in any other value. */
  valueChars: 65_536,
} as const;

/** C0 controls but tab, line feed and carriage return, DEL and C1: never valid in NSX XML. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

function lineCol(text: string, index: number): string {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return `line ${line}, column ${index - before.lastIndexOf('\n')}`;
}

const codePoint = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Parses one XML document; throws XmlSyntaxError with the reason on bad or oversized input. */
export function parseXml(body: string | undefined): XmlNode {
  if (body !== undefined && typeof body !== 'string') throw new XmlSyntaxError('Request body must be text');
  const text = (body ?? '').trim();
  if (!text) throw new XmlSyntaxError('Request body is empty; an XML document was expected');
  if (text.length > XML_LIMITS.bodyChars) throw new XmlSyntaxError(`Request body has ${text.length} characters; at most ${XML_LIMITS.bodyChars} are accepted`);
  const control = CONTROL.exec(text);
  if (control) throw new XmlSyntaxError(`Control character ${codePoint(control[0])} at ${lineCol(text, control.index)} is not allowed in XML`);
  for (const ref of text.matchAll(/&#(x[0-9a-f]{1,6}|[0-9]{1,7});/gi)) {
    const n = ref[1]![0]!.toLowerCase() === 'x' ? parseInt(ref[1]!.slice(1), 16) : Number(ref[1]);
    if (n > 0x10ffff || CONTROL.test(String.fromCodePoint(n))) throw new XmlSyntaxError(`Character reference ${ref[0]} at ${lineCol(text, ref.index)} is not an allowed XML character`);
  }
  // No DTDs: their entities are how bodies fetch files (SYSTEM) or expand to gigabytes (billion laughs).
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype) throw new XmlSyntaxError(`DOCTYPE declarations are not accepted (${lineCol(text, doctype.index)}); send the XML document without a DTD or entities`);
  const declaration = /<!(?!--|\[CDATA\[)/.exec(text);
  if (declaration) throw new XmlSyntaxError(`Markup declarations such as <!ENTITY> are not accepted (${lineCol(text, declaration.index)})`);
  const check = XMLValidator.validate(text);
  if (check !== true) {
    throw new XmlSyntaxError(`Invalid XML at line ${check.err.line}${check.err.col ? `, column ${check.err.col}` : ''}: ${check.err.msg}`);
  }
  let parsed: Ordered[];
  try {
    parsed = parser.parse(text) as Ordered[];
  } catch (err) {
    // fast-xml-parser refuses too deep nesting and reserved names such as __proto__ by throwing.
    throw new XmlSyntaxError(`Invalid XML: ${(err as Error).message.replace(/^\[SECURITY\]\s*/, '')}`);
  }
  const roots = parsed.map(fromOrdered).filter((n): n is XmlNode => !!n && typeof n !== 'string');
  if (roots.length !== 1) throw new XmlSyntaxError('Expected exactly one root element');
  checkValues(roots[0]!);
  return roots[0]!;
}

/** Walks the tree once: element count, value lengths, controls that arrived as character references. */
function checkValues(root: XmlNode): void {
  let elements = 0;
  const stack = [root];
  const value = (where: string, v: string, isName: boolean) => {
    const max = isName ? XML_LIMITS.nameChars : XML_LIMITS.valueChars;
    if (v.length > max) throw new XmlSyntaxError(`${where} has ${v.length} characters; at most ${max} are accepted`);
    const control = CONTROL.exec(v);
    if (control) throw new XmlSyntaxError(`${where} holds control character ${codePoint(control[0])}, which is not allowed`);
  };
  while (stack.length) {
    const node = stack.pop()!;
    if (++elements > XML_LIMITS.elements) throw new XmlSyntaxError(`The body has more than ${XML_LIMITS.elements} elements`);
    for (const [k, v] of Object.entries(node.attrs)) value(`Attribute ${k} of <${node.tag}>`, v, k === 'name');
    value(`<${node.tag}>`, node.text, node.tag === 'name');
    for (const c of node.children) stack.push(c);
  }
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
