/** The libpcap writer and reader behind pktcap-uw -o and tcpdump-uw -r. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pcapHeader, readPcap, writePcap } from '../../workers/host/shell/pcap';

describe('pcap files', () => {
  it('the global header is libpcap 2.4, little-endian, Ethernet', () => {
    expect(Array.from(pcapHeader(1500))).toEqual([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xdc, 0x05, 0, 0, 1, 0, 0, 0]);
  });

  it('what is written reads back: times, lengths and bytes', () => {
    const record = fc.record({ timeUs: fc.integer({ min: 0, max: 4_000_000_000 * 1e6 }), frame: fc.uint8Array({ minLength: 0, maxLength: 200 }) });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 20 }), (records) => {
        const back = readPcap(writePcap(records));
        expect(back.linkType).toBe(1);
        expect(back.records.map((r) => ({ timeUs: r.timeUs, frame: r.frame }))).toEqual(records);
        expect(back.records.every((r, i) => r.origLen === records[i]!.frame.length)).toBe(true);
      }),
    );
  });

  it('refuses what is not a whole pcap file, with the reason', () => {
    expect(() => readPcap(new Uint8Array(10))).toThrow('shorter than its 24-byte header');
    expect(() => readPcap(new Uint8Array(24))).toThrow('bad magic number');
    const cut = writePcap([{ timeUs: 1, frame: new Uint8Array(40) }]).subarray(0, 50);
    expect(() => readPcap(cut)).toThrow('truncated record');
  });
});
