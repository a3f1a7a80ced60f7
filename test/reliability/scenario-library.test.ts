/**
 * Issue 18 item 8 (and item 10's BOM): saving a copy used to rewrite the library without the
 * entries that failed validation. They are now kept, listed as unreadable, and exportable.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { myScenarios, quarantinedScenarios, removeMine, saveMine } from '../../src/share/library';
import { parseScenario } from '../../workers/scenario/schema';
import { scenario } from '../scenario/helpers';

const KEY = 'dfw-lab/scenarios/mine';
const memory = new Map<string, string>();
const storage = { getItem: (k: string) => memory.get(k) ?? null, setItem: (k: string, v: string) => void memory.set(k, v), removeItem: (k: string) => void memory.delete(k) };
Object.defineProperty(globalThis, 'localStorage', { value: storage, configurable: true });

describe('the scenario library keeps what it cannot read', () => {
  const damaged = { format: 'dfw-lab/scenario@9', id: 'from-the-future', title: 'Newer', steps: 'not yet' };
  beforeEach(() => memory.clear());

  it('a save and a delete leave unreadable entries in place', () => {
    const good = { ...scenario([{ say: 'hi' }]), id: 'mine-1' };
    memory.set(KEY, JSON.stringify([damaged, good]));
    saveMine({ ...good, id: 'copy-of-shared' });
    removeMine('mine-1');
    const stored = JSON.parse(memory.get(KEY)!) as { id: string }[];
    expect(stored.map((x) => x.id)).toEqual(['from-the-future', 'copy-of-shared']);
    expect(myScenarios().map((s) => s.id)).toEqual(['copy-of-shared']);
    const q = quarantinedScenarios();
    expect(q).toHaveLength(1);
    expect(q[0]).toMatchObject({ id: 'from-the-future', raw: damaged });
    expect(q[0]!.reason.length).toBeGreaterThan(0);
  });

  it('removeMine of an unreadable id does not delete it', () => {
    memory.set(KEY, JSON.stringify([damaged]));
    removeMine('from-the-future');
    expect(quarantinedScenarios()).toHaveLength(1);
  });
});

describe('scenario files with a UTF-8 byte-order mark (item 10)', () => {
  it('are read like the same file without it', () => {
    const text = JSON.stringify(scenario([{ say: 'hi' }]));
    const r = parseScenario(`\uFEFF${text}`);
    expect(r.ok).toBe(true);
  });
});

describe('a missing built-in lesson (item 10)', () => {
  it('is reported as missing, not as "not JSON: Unexpected token <" from the app page the server falls back to', async () => {
    const { loadBuiltin } = await import('../../src/share/library');
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async () => new Response('<!doctype html><html></html>', { status: 200, headers: { 'content-type': 'text/html' } })) as typeof fetch;
    try {
      await expect(loadBuiltin('no-such-lesson')).rejects.toThrow('no built-in scenario named “no-such-lesson”');
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});

describe('a built-in lesson read twice in one page (a lesson link opening)', () => {
  it('is fetched once, each caller getting its own copy; a failed read is tried again', async () => {
    const { loadBuiltin } = await import('../../src/share/library');
    const realFetch = globalThis.fetch;
    const file = JSON.stringify({ ...scenario([{ say: 'hi' }]), id: 'read-twice' });
    let fetched = 0;
    let answer = () => new Response('', { status: 503 });
    globalThis.fetch = (async () => {
      fetched++;
      return answer();
    }) as typeof fetch;
    try {
      await expect(loadBuiltin('read-twice')).rejects.toThrow();
      answer = () => new Response(file, { status: 200 });
      const [a, b] = await Promise.all([loadBuiltin('read-twice'), loadBuiltin('read-twice')]);
      expect(fetched).toBe(2);
      expect(a).toEqual(b);
      expect(a).not.toBe(b);
      a.steps[0]!.say = 'changed by one caller';
      expect((await loadBuiltin('read-twice')).steps[0]!.say).toBe('hi');
      expect(fetched).toBe(2);
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});
