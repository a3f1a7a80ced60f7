/**
 * Fuzzing the lab's doors (issue 18): the REST router, the XML codec, share links, lab import
 * and the console line editor. For any input: no 500, no exception escapes, and a refused
 * input changes nothing. The hostile inputs of the adversarial pass are mixed in as fixed
 * fragments, so every run meets them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineEditor, terminalText, typedText } from '../../src/lib/console/line-editor';
import { readLabText } from '../../src/persistence/lab-file';
import { decodeShareLink, encodeShareLink, SHARE_PREFIX } from '../../src/share/share-link';
import { buildLab } from '../../workers/lab/presets/build-lab';
import { buildXml, parseXml, XmlSyntaxError } from '../../workers/manager/xml';
import { FW, newManager } from '../manager/fixtures';

const HOSTILE_FRAGMENTS = [
  '<!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
  '<!DOCTYPE s [<!ENTITY % p "x">]>',
  '<!ENTITY lol "lol">&lol;',
  '<__proto__>x</__proto__>',
  ' constructor="x"',
  '<prototype/>',
  '\u001b[31m',
  '\u0000',
  '\u0085\u009b',
  '&#27;',
  '&#x110000;',
  '<a>'.repeat(120),
  '</section>',
  '<rule><name>r</name><action>deny</action></rule>',
  '<section name="S">',
  '"><rule>',
  ']]>',
  '<![CDATA[',
  '%zz',
  '\uFEFF',
  '\uD800',
];

const fragment = fc.oneof(fc.constantFrom(...HOSTILE_FRAGMENTS), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));
const hostileText = fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join(''));
const xmlBody = fc.oneof(
  hostileText,
  fc.tuple(fc.constantFrom('section', 'rule', 'securitygroup', 'ipset', 'firewallConfiguration', 'firewallDraft', '__proto__'), hostileText, hostileText).map(([tag, attr, inner]) => `<${tag} name="${attr}">${inner}</${tag}>`),
);

const PATHS = [
  `${FW}/config`,
  `${FW}/config/layer3sections`,
  `${FW}/config/layer3sections/1003`,
  `${FW}/config/layer3sections/1003/rules`,
  `${FW}/config/layer3sections/1003/rules/1001`,
  `${FW}/drafts`,
  '/api/2.0/services/securitygroup/bulk/globalroot-0',
  '/api/2.0/services/ipset/globalroot-0',
  '/api/2.1/app/excludelist',
  '/api/4.0/services/spoofguard/policies/',
];
const path = fc.oneof(
  fc.constantFrom(...PATHS),
  fc.tuple(fc.constantFrom(...PATHS), fc.constantFrom('', '/', '/%', '/%zz', '/+1003', '/1003.0', '/1003%20', '/..', '?operation=insert_before&anchorId=%2B1', '?a=%', '/__proto__', '/constructor')).map(([p, tail]) => p + tail),
  fc.string({ maxLength: 60 }).map((s) => `/api/${s}`),
);
const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'get', '', 'X'.repeat(20));
const headers = fc.dictionary(fc.constantFrom('If-Match', 'Content-Type', 'Accept', '__proto__', 'constructor'), fc.oneof(fc.constant('*'), fc.string({ maxLength: 20 })), { maxKeys: 3 });

describe('the REST router', () => {
  it('never answers 500 or throws, and a refusal changes nothing', () => {
    const { ctx, manager } = newManager();
    fc.assert(
      fc.property(fc.array(fc.record({ method, path, body: fc.option(xmlBody, { nil: undefined }), headers }), { minLength: 1, maxLength: 8 }), (requests) => {
        for (const r of requests) {
          ctx.advance(1);
          const before = manager.snapshot();
          const eventsBefore = ctx.events.length;
          const res = manager.rest(r);
          expect(res.status, `${r.method} ${r.path}`).toBeLessThan(500);
          if (res.status >= 400) {
            expect(manager.snapshot()).toEqual(before);
            expect(ctx.events.length).toBe(eventsBefore);
            if (res.body) expect(res.body).toMatch(/^<error><details>[\s\S]*<\/details><errorCode>\d+<\/errorCode>/);
          }
        }
      }),
      { numRuns: 120 },
    );
  });
});

describe('the XML codec', () => {
  it('parses or refuses with XmlSyntaxError, and what it parses builds back to the same tree', () => {
    fc.assert(
      fc.property(xmlBody, (text) => {
        let node;
        try {
          node = parseXml(text);
        } catch (err) {
          expect(err).toBeInstanceOf(XmlSyntaxError);
          return;
        }
        expect(parseXml(buildXml(node))).toEqual(node);
      }),
      { numRuns: 400 },
    );
  });
});

describe('share links', () => {
  it('any hash decodes to a result, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileText, fc.base64String({ maxLength: 200 }).map((b) => `${SHARE_PREFIX}${b.replace(/\+/g, '-').replace(/\//g, '_')}`), fc.string({ maxLength: 80 }).map((s) => `${SHARE_PREFIX}${s}`)), async (link) => {
        const r = await decodeShareLink(link);
        if (!r.ok) expect(r.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });

  it('a lab link round-trips', async () => {
    const lab = buildLab();
    const r = await decodeShareLink(await encodeShareLink(lab));
    expect(r).toMatchObject({ ok: true, kind: 'lab' });
  });
});

describe('lab import', () => {
  const base = JSON.parse(JSON.stringify(buildLab())) as Record<string, unknown>;
  const field = fc.constantFrom('format', 'name', 'seed', 'clock', 'components', 'pending', 'nextSeq', 'counters', 'events', 'sessions', '__proto__');
  const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(1e308, -1, Number.MAX_SAFE_INTEGER + 2, '', null, [], { foo: 1 }));

  it('any text is read or refused with a path and a message, never an exception', () => {
    fc.assert(
      fc.property(fc.oneof(hostileText, fc.tuple(field, value).map(([k, v]) => JSON.stringify({ ...base, [k]: v }))), (text) => {
        const r = readLabText(text);
        if (!r.ok) {
          expect(r.path.startsWith('$')).toBe(true);
          expect(r.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});

const hasControl = (s: string) => [...s].some((ch) => ch.charCodeAt(0) < 0x20 || (ch.charCodeAt(0) >= 0x7f && ch.charCodeAt(0) <= 0x9f));

describe('the console line editor', () => {
  const key = fc.oneof(
    hostileText.map((t) => ({ k: 'insert' as const, t })),
    fc.constantFrom('backspace', 'left', 'right', 'up', 'down', 'submit').map((k) => ({ k, t: '' })),
  );

  it('keeps a consistent line with no control characters whatever is typed or pasted', () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 40 }), (keys) => {
        const editor = new LineEditor();
        for (const { k, t } of keys) {
          if (k === 'insert') editor.insert(t);
          else if (k === 'submit') expect(hasControl(editor.submit())).toBe(false);
          else editor[k]();
          expect(editor.cursor).toBeGreaterThanOrEqual(0);
          expect(editor.cursor).toBeLessThanOrEqual(editor.line.length);
          expect(hasControl(editor.line)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('C1 controls and ESC sequences neither enter the line nor reach the terminal from output (item 13)', () => {
    expect(typedText('ls\u001b[2J\u009b31m\u0085x')).toBe('ls[2J31mx');
    expect(terminalText('a\u001b]0;title\u0007b\tc\r\nd\u009b')).toBe('a]0;titleb\tc\r\nd');
  });
});
