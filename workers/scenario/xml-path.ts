/**
 * The `xml:a/b[2]/c` and `xml:a/b/@id` references of scenario templates. A small tolerant XML
 * reader that remembers where each element's content starts and ends, so "inner XML" is the
 * exact text the manager sent (ready to paste back into a request body).
 */

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Offsets of the content between the start and end tags in the source text. */
  innerStart: number;
  innerEnd: number;
}

export class XmlPathError extends Error {}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const ATTR = /\s*([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("([^"]*)"|'([^']*)')/y;

/** Parses an XML document; throws XmlPathError when the text is not well-formed enough to read. */
export function parseXml(src: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (why: string): never => {
    throw new XmlPathError(`the body is not XML (${why} at character ${i})`);
  };
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    if (lt < 0) break;
    i = lt;
    if (src.startsWith('<?', i)) {
      const end = src.indexOf('?>', i);
      if (end < 0) fail('unterminated declaration');
      i = end + 2;
    } else if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i);
      if (end < 0) fail('unterminated comment');
      i = end + 3;
    } else if (src.startsWith('<![CDATA[', i)) {
      const end = src.indexOf(']]>', i);
      if (end < 0) fail('unterminated CDATA');
      i = end + 3;
    } else if (src.startsWith('<!', i)) {
      const end = src.indexOf('>', i);
      if (end < 0) fail('unterminated declaration');
      i = end + 1;
    } else if (src.startsWith('</', i)) {
      NAME.lastIndex = i + 2;
      const m = NAME.exec(src);
      if (!m) fail('bad end tag');
      const open = stack.pop();
      if (!open || open.name !== m![0]) fail(`</${m![0]}> does not close <${open?.name ?? 'nothing'}>`);
      open!.innerEnd = i;
      const gt = src.indexOf('>', i);
      if (gt < 0) fail('unterminated end tag');
      i = gt + 1;
    } else {
      NAME.lastIndex = i + 1;
      const m = NAME.exec(src);
      if (!m) fail('bad start tag');
      const el: XmlElement = { name: m![0], attrs: Object.create(null) as Record<string, string>, children: [], innerStart: 0, innerEnd: 0 };
      i = NAME.lastIndex;
      for (;;) {
        ATTR.lastIndex = i;
        const a = ATTR.exec(src);
        if (!a) break;
        el.attrs[a[1]] = decodeEntities(a[3] ?? a[4] ?? '');
        i = ATTR.lastIndex;
      }
      while (i < src.length && /\s/.test(src[i])) i++;
      const selfClosing = src.startsWith('/>', i);
      if (!selfClosing && src[i] !== '>') fail(`unexpected character in <${el.name}>`);
      i += selfClosing ? 2 : 1;
      el.innerStart = i;
      el.innerEnd = i;
      if (stack.length) stack[stack.length - 1].children.push(el);
      else if (root) fail('more than one root element');
      else root = el;
      if (!selfClosing) stack.push(el);
    }
  }
  if (stack.length) fail(`<${stack[stack.length - 1].name}> is never closed`);
  if (!root) fail('no element');
  return root!;
}

interface PathStep {
  name: string;
  index: number | 'last';
}

/** Evaluates `a/b[2]/c` (inner XML) or `a/b/@id` (attribute value) against an XML text. */
export function xmlPath(src: string, path: string): string {
  const root = parseXml(src);
  const parts = path.split('/').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new XmlPathError(`"${path}" has an empty step`);
  let attr: string | undefined;
  if (parts[parts.length - 1].startsWith('@')) attr = parts.pop()!.slice(1);
  const steps: PathStep[] = parts.map((p) => {
    const m = /^([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\[\s*(\d+|last)\s*\])?$/.exec(p);
    if (!m) throw new XmlPathError(`"${p}" is not an element name with an optional [n] or [last]`);
    const index = m[2] === undefined ? 1 : m[2] === 'last' ? 'last' : Number(m[2]);
    if (index === 0) throw new XmlPathError(`"${p}": positions start at 1`);
    return { name: m[1], index };
  });
  // The first step names the root element; a path may also start below the root.
  let current: XmlElement;
  let rest = steps;
  if (steps.length && steps[0].name === root.name && (steps[0].index === 1 || steps[0].index === 'last')) {
    current = root;
    rest = steps.slice(1);
  } else {
    current = root;
  }
  let where = root.name;
  for (const s of rest) {
    const matches = current.children.filter((c) => c.name === s.name);
    const picked = s.index === 'last' ? matches[matches.length - 1] : matches[s.index - 1];
    const label = `${s.name}${s.index === 1 ? '' : `[${s.index}]`}`;
    if (!picked) {
      throw new XmlPathError(matches.length ? `<${where}> has ${matches.length} <${s.name}>, not ${label}` : `<${where}> has no <${s.name}>`);
    }
    current = picked;
    where = s.name;
  }
  if (attr !== undefined) {
    if (!Object.hasOwn(current.attrs, attr)) throw new XmlPathError(`<${current.name}> has no attribute ${attr}`); // own only: `@constructor` is not Object.prototype's
    return current.attrs[attr];
  }
  return src.slice(current.innerStart, current.innerEnd);
}
