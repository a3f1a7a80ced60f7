/**
 * Address entries as the kernel reads them: the quick path for plain prefixes must agree with
 * the address library on every string, valid or not.
 */
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { parseAddressEntry } from '../../workers/host/kernel/classifier/address-space';

/** The library's reading: a strict dotted quad, optional /0–32, masked to its network. */
function libraryReading(text: string): [number, number] | null {
  const t = text.trim();
  const slash = t.indexOf('/');
  const addr = slash >= 0 ? t.slice(0, slash) : t;
  if (t.includes('-') || !ipaddr.IPv4.isValidFourPartDecimal(addr)) return null;
  const len = slash >= 0 ? Number(t.slice(slash + 1)) : 32;
  if (!Number.isInteger(len) || len < 0 || len > 32) return null;
  const [a, b, c, d] = ipaddr.IPv4.parse(addr).octets;
  const ip = (((a! << 24) | (b! << 16) | (c! << 8) | d!) >>> 0);
  const lo = len === 0 ? 0 : (ip & ((0xffffffff << (32 - len)) >>> 0)) >>> 0;
  return [lo, lo + (2 ** (32 - len) - 1)];
}

const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.constantFrom('256', '00', '01', '999', '', 'a', '1 '));
const entry = fc.tuple(octet, octet, octet, octet, fc.option(fc.oneof(fc.integer({ min: 0, max: 40 }).map(String), fc.constantFrom('', '08', 'x', '/8')), { nil: undefined }), fc.constantFrom('', ' ', '.'))
  .map(([a, b, c, d, len, pad]) => `${pad}${a}.${b}.${c}.${d}${len === undefined ? '' : `/${len}`}${pad === '.' ? '' : pad}`);

describe('kernel address entries', () => {
  it('plain prefixes read quickly give what the address library gives, and junk is refused alike', () => {
    fc.assert(
      fc.property(entry, (text) => {
        expect(parseAddressEntry(text)).toEqual(libraryReading(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('ranges and IPv6 keep their meaning', () => {
    expect(parseAddressEntry('10.0.0.9-10.0.0.1')).toEqual([0x0a000001, 0x0a000009]);
    expect(parseAddressEntry('fe80::1')).toBeNull();
    expect(parseAddressEntry('172.16.10.0/24')).toEqual([0xac100a00, 0xac100aff]);
    expect(parseAddressEntry('0.0.0.0/0')).toEqual([0, 0xffffffff]);
  });
});
