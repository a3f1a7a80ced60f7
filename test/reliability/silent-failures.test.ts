/**
 * Issue 18 item 10: failures that showed nothing. Making a link for something too big or too
 * deeply nested now throws a message the screen shows; a `%` in the address is kept as text.
 */
import { describe, expect, it } from 'vitest';
import { safeDecode } from '../../src/lib/safe-decode';
import { encodeShareLink, MAX_LINK_CHARS } from '../../src/share/share-link';
import { scenario } from '../scenario/helpers';

describe('share links that cannot be made say why', () => {
  it('a scenario nested 50,000 deep', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 50_000; i++) deep = [deep];
    const s = { ...scenario([{ say: 'x' }]), extra: deep } as unknown as Parameters<typeof encodeShareLink>[0];
    await expect(encodeShareLink(s)).rejects.toThrow(/nested too deeply/);
  });

  it('a scenario whose link would pass the link limit', async () => {
    // Random-looking text does not compress: 1.9 MB of it makes a link over 1.5 M characters.
    let seed = 1;
    const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    const next = () => ((seed ^= seed << 13), (seed ^= seed >>> 17), (seed ^= seed << 5), seed >>> 0); // xorshift32
    const noise = () => Array.from({ length: 19_000 }, () => ALNUM[next() % 62]).join('');
    const s = scenario(Array.from({ length: 100 }, () => ({ say: noise() })));
    await expect(encodeShareLink(s)).rejects.toThrow(`a link holds at most ${MAX_LINK_CHARS}`);
  });
});

describe('addresses with a stray %', () => {
  it('#/consoles/% and #/nsx/%zz are kept as text instead of throwing URIError', () => {
    expect(safeDecode('%')).toBe('%');
    expect(safeDecode('%zz')).toBe('%zz');
    expect(safeDecode('host-20')).toBe('host-20');
    expect(safeDecode('a%20b')).toBe('a b');
  });
});
