import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitForLearner, goalSentence, shorten } from '../../src/lesson/goal-sentence';
import { CheckSchema, type Check } from '../../workers/scenario/schema';
import * as v from 'valibot';

/** Strings a scenario file may hold, the nasty ones included. */
const text = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constantFrom('{{r1.xml:rule/@id}}', '<publishedIpAddress>172.16.10.11</publishedIpAddress>', 'undefined', '[object Object]', 'web-sv-01a', 'db-sv-01a', 'a <b> c', '}}', '{{'),
  fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom('{{x.status}}', '<rule/>', 'undefined')).map(([a, b]) => a + b),
);
const name = text.filter((s) => s.length > 0);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const port = maybe(fc.integer({ min: 0, max: 65535 }));
const label = maybe(text.filter((s) => s.length > 0));

const check: fc.Arbitrary<Check> = fc.oneof(
  fc.record({ check: fc.constant('traffic' as const), label, from: name, to: name, proto: fc.constantFrom('tcp' as const, 'udp' as const, 'icmp' as const), port, expect: fc.constantFrom('allowed' as const, 'dropped' as const), rule: maybe(fc.nat()), by: maybe(fc.constantFrom('rule' as const, 'state' as const, 'spoofguard' as const, 'excluded' as const, 'no-filter' as const)) }),
  fc.record({ check: fc.constant('session' as const), label, name: fc.constantFrom('db', 's1'), expect: fc.constantFrom('alive' as const, 'dead' as const) }),
  fc.record({ check: fc.constant('response' as const), label, of: fc.constantFrom('r1', 'get'), status: maybe(fc.integer({ min: 100, max: 599 })), contains: maybe(text), header: maybe(fc.dictionary(fc.constantFrom('ETag', 'Location'), text)) }),
  fc.record({ check: fc.constant('api' as const), label, method: fc.constantFrom('GET', 'PUT', 'POST', 'DELETE'), path: text.map((s) => `/api/4.0/${s}`), status: maybe(fc.integer({ min: 100, max: 599 })), contains: maybe(text) }),
  fc.record({ check: fc.constant('output' as const), label, of: fc.constantFrom('out'), contains: text, matches: maybe(fc.constantFrom('^inet ', 'a.c')) }),
  fc.record({ check: fc.constant('event' as const), label, contains: name, source: maybe(name) }),
  fc.record({ check: fc.constant('reach' as const), label, app: fc.constantFrom('vcenter' as const, 'nsx-manager' as const), expect: fc.constantFrom('up' as const, 'down' as const) }),
) as fc.Arbitrary<Check>;

describe('goal sentences', () => {
  it('never show a template, undefined, [object …] or XML, whatever the check holds', () => {
    fc.assert(
      fc.property(check, (c) => {
        const s = goalSentence(c);
        expect(s).not.toMatch(/\{\{|\}\}|undefined|\[object|</);
        expect(s.trim().length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('use the author’s label when it is fit, and a sentence of their own when it is not', () => {
    const base = { check: 'traffic', from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306, expect: 'dropped' } as const;
    expect(goalSentence({ ...base, label: 'Web servers can no longer reach the database' })).toBe('Web servers can no longer reach the database');
    expect(goalSentence({ ...base, label: 'rule {{r1.xml:rule/@id}} blocks' })).toBe('web-sv-01a can no longer reach db-sv-01a on TCP 3306 (MySQL)');
    expect(goalSentence({ check: 'reach', app: 'vcenter', expect: 'down' })).toBe('The vCenter screens no longer open from the admin workstation');
  });

  it('describe REST checks by what they are about, never by their path or XML', () => {
    const s = goalSentence({ check: 'api', method: 'GET', path: '/api/4.0/services/spoofguard/spoofguardpolicy-2?list=PUBLISHED', status: 200, contains: '<publishedIpAddress>' });
    expect(s).toBe('NSX Manager, reading SpoofGuard, answers 200 OK with the expected content');
    expect(goalSentence({ check: 'api', method: 'GET', path: '/api/2.1/app/excludelist', contains: 'vcsa-01a' })).toContain('the exclusion list');
  });

  it('every built-in goal reads as a sentence (labels where the file has them)', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const dir = new URL('../../public/scenarios/', import.meta.url);
    let n = 0;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json') && x !== 'index.json')) {
      const sc = JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as { steps: { goal?: unknown[] }[] };
      for (const g of sc.steps.flatMap((st) => st.goal ?? [])) {
        const c = v.parse(CheckSchema, g);
        expect(fitForLearner(goalSentence(c)), `${f}: ${goalSentence(c)}`).toBe(true);
        n++;
      }
    }
    expect(n).toBeGreaterThan(20);
  });
});

describe('shorten', () => {
  it('cuts at a word boundary with an ellipsis and leaves short text alone', () => {
    expect(shorten('short', 10)).toBe('short');
    expect(shorten('the quick brown fox jumps over the lazy dog', 20)).toBe('the quick brown fox…');
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 30 }), fc.integer({ min: 10, max: 60 }), (words, max) => {
        const s = words.join(' ');
        const out = shorten(s, max);
        if (s.length <= max) {
          expect(out).toBe(s);
          return;
        }
        expect(out.endsWith('…')).toBe(true);
        expect(out.length).toBeLessThanOrEqual(max + 1);
        const kept = out.slice(0, -1);
        // Never mid-word: what is kept is whole words of the original (unless the first word alone is longer than the room).
        if (kept.includes(' ')) expect(s.startsWith(kept) && (s[kept.length] === ' ' || s.length === kept.length)).toBe(true);
      }),
    );
  });
});
