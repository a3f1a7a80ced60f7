import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RecordedResult, Results } from '../../workers/scenario/results';
import { expand, TemplateError } from '../../workers/scenario/template';
import { xmlPath } from '../../workers/scenario/xml-path';

const CONFIG = `<?xml version="1.0" encoding="UTF-8"?>
<firewallConfiguration timestamp="1">
  <contextId>globalroot-0</contextId>
  <layer3Sections>
    <section id="1005" name="Mine &amp; yours" generationNumber="10"><rule id="1006"><name>a</name></rule></section>
    <section id="1003" name="Default Section Layer3" generationNumber="11"><rule id="1003"/><rule id="1002"/><rule id="1001"><name>Default Rule</name><action>allow</action></rule></section>
  </layer3Sections>
  <!-- a comment <section id="9"> -->
  <layer2Sections><section id="1001"><rule id="1004"><![CDATA[<x>]]></rule></section></layer2Sections>
</firewallConfiguration>`;

const results: Results = new Map<string, RecordedResult>([
  ['cfg', { kind: 'api', request: { method: 'GET', path: '/x' }, response: { status: 200, headers: { ETag: '"1700000000001"', 'Content-Type': 'application/xml' }, body: CONFIG } }],
  ['out', { kind: 'text', source: 'web-sv-01a', text: 'inet 172.16.10.11/24 {{cfg.status}}' }],
  ['plain', { kind: 'api', request: { method: 'GET', path: '/y' }, response: { status: 404, headers: {}, body: 'not xml at all' } }],
]);

describe('templating', () => {
  it('substitutes status, headers in any case, body and text', () => {
    expect(expand('{{cfg.status}}', results)).toBe('200');
    expect(expand('If-Match: {{cfg.header.etag}} / {{ cfg.header.ETAG }}', results)).toBe('If-Match: "1700000000001" / "1700000000001"');
    expect(expand('{{cfg.body}}', results)).toBe(CONFIG);
    expect(expand('[{{out.text}}]', results)).toBe('[inet 172.16.10.11/24 {{cfg.status}}]');
  });

  it('never expands a substituted value again', () => {
    expect(expand('{{out.text}}', results)).toContain('{{cfg.status}}');
  });

  it('reads XML: inner XML, n-th, last, attributes, decoded entities, from the root or below it', () => {
    expect(expand('{{cfg.xml:firewallConfiguration/contextId}}', results)).toBe('globalroot-0');
    expect(expand('{{cfg.xml:contextId}}', results)).toBe('globalroot-0');
    expect(expand('{{cfg.xml:firewallConfiguration/layer3Sections/section[2]/@id}}', results)).toBe('1003');
    expect(expand('{{cfg.xml:layer3Sections/section/@name}}', results)).toBe('Mine & yours');
    expect(expand('{{cfg.xml:layer3Sections/section[last]/rule[last]/name}}', results)).toBe('Default Rule');
    expect(expand('{{cfg.xml:layer3Sections/section[1]}}', results)).toBe('<rule id="1006"><name>a</name></rule>');
    expect(expand('{{cfg.xml:layer2Sections/section/rule}}', results)).toBe('<![CDATA[<x>]]>');
    expect(expand('{{cfg.xml:layer3Sections/section[2]/rule[2]}}', results)).toBe('');
  });

  it('fails with a clear message on unknown names, paths that find nothing and non-XML bodies', () => {
    const err = (s: string) => {
      try {
        expand(s, results);
      } catch (e) {
        expect(e).toBeInstanceOf(TemplateError);
        return (e as Error).message;
      }
      throw new Error(`${s} expanded`);
    };
    expect(err('{{nope.status}}')).toMatch(/no result named "nope" has been recorded \(recorded: cfg, out, plain\)/);
    expect(err('{{cfg.xml:layer3Sections/section[3]/@id}}')).toMatch(/<layer3Sections> has 2 <section>, not section\[3\]/);
    expect(err('{{cfg.xml:layer3Sections/policy}}')).toMatch(/<layer3Sections> has no <policy>/);
    expect(err('{{cfg.xml:contextId/@id}}')).toMatch(/<contextId> has no attribute id/);
    expect(err('{{cfg.header.location}}')).toMatch(/no location header \(it has: ETag, Content-Type\)/);
    expect(err('{{plain.xml:a}}')).toMatch(/not XML/);
    expect(err('{{out.status}}')).toMatch(/command output, which has no status/);
    expect(err('{{out.header.x}}')).toMatch(/not a REST response/);
    expect(err('{{cfg.magic}}')).toMatch(/unknown part "magic"/);
    expect(err('{{justaname}}')).toMatch(/is not a reference/);
    expect(err('{{cfg.xml:a//b}}')).toMatch(/empty step/);
    expect(err('{{cfg.xml:section[0]}}')).toMatch(/positions start at 1/);
  });

  it('leaves strings without references unchanged', () => {
    fc.assert(fc.property(fc.string().filter((s) => !s.includes('{{')), (s) => {
      expect(expand(s, results)).toBe(s);
    }));
  });

  it('the XML reader refuses malformed text with a reason, never hangs', () => {
    expect(() => xmlPath('<a><b></a>', 'a')).toThrow(/does not close/);
    expect(() => xmlPath('<a>', 'a')).toThrow(/never closed/);
    expect(() => xmlPath('<a/><b/>', 'a')).toThrow(/more than one root/);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('<', '>', '/', 'a', 'b', '"', '=', ' ', '?', '!', '-', '[') }), (s) => {
        try {
          xmlPath(s, 'a');
        } catch (e) {
          expect((e as Error).name).toBe('Error');
        }
      }),
      { numRuns: 500 },
    );
  });
});
