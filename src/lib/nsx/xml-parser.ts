/**
 * The NSX screens' XML parsing, over fast-xml-parser: a response into plain objects (the
 * elements xml.ts lists as repeating always as arrays), any body pretty-printed, an error's
 * details. Imported on demand (nsx-client.svelte.ts, the REST client): the library is not part
 * of the first screen's JavaScript.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { REPEATING, obj, str, type XmlObject } from './xml';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => REPEATING.has(name),
});

export function parseXml(text: string): XmlObject {
  return parser.parse(text) as XmlObject;
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
