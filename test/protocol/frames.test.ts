import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intToIp } from '../../workers/protocol/addresses';
import { PROTO_TCP, buildArp, buildTcp, buildUdp, parseFrame, parseTcpFlags, tcpFlagsText } from '../../workers/protocol/frame';
import { decodeFrameBatch, encodeFrameBatch } from '../../workers/protocol/frame-batch';
import { decapsulate, encapsulate } from '../../workers/protocol/vxlan';
import { transferables } from '../../workers/lab/transport';

const ip = fc.integer({ min: 0, max: 0xffffffff }).map(intToIp);
const mac = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }).map((b) => b.map((x) => x.toString(16).padStart(2, '0')).join(':'));
const port = fc.integer({ min: 0, max: 65535 });

describe('frames', () => {
  it('TCP frames parse back to what was built', () => {
    fc.assert(
      fc.property(mac, mac, ip, ip, port, port, fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 63 }), fc.uint8Array({ maxLength: 64 }), (srcMac, dstMac, srcIp, dstIp, sp, dp, seq, flags, payload) => {
        const p = parseFrame(buildTcp({ srcMac, dstMac, srcIp, dstIp, srcPort: sp, dstPort: dp, seq, ack: 7, flags, payload }));
        expect(p).toMatchObject({ kind: 'ipv4', srcMac, dstMac, srcIp, dstIp, proto: PROTO_TCP, srcPort: sp, dstPort: dp, seq, ack: 7, flags, fragment: false });
        if (p.kind === 'ipv4') expect(Array.from(p.payload)).toEqual(Array.from(payload));
      }),
    );
  });

  it('carries a valid IPv4 header checksum', () => {
    const f = buildUdp({ srcMac: '00:50:56:a1:00:36', dstMac: '02:50:56:56:44:52', srcIp: '172.16.10.11', dstIp: '172.16.30.11', srcPort: 5000, dstPort: 53 });
    let sum = 0;
    for (let i = 14; i < 34; i += 2) sum += (f[i] << 8) | f[i + 1];
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    expect(sum).toBe(0xffff);
  });

  it('truncated and inconsistent frames are reported, never thrown', () => {
    const f = buildTcp({ srcMac: '00:50:56:a1:00:36', dstMac: '02:50:56:56:44:52', srcIp: '1.1.1.1', dstIp: '2.2.2.2', srcPort: 1, dstPort: 2, seq: 0, ack: 0, flags: 2 });
    expect(parseFrame(f.subarray(0, 10))).toMatchObject({ kind: 'malformed', reason: 'short' });
    expect(parseFrame(f.subarray(0, 40))).toMatchObject({ kind: 'malformed', reason: 'bad-offset' });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => void parseFrame(bytes)));
  });

  it('ARP, flags text and VXLAN round-trip', () => {
    const arp = parseFrame(buildArp({ srcMac: '00:50:56:a1:00:36', dstMac: 'ff:ff:ff:ff:ff:ff', op: 1, senderMac: '00:50:56:a1:00:36', senderIp: '172.16.10.11', targetMac: '00:00:00:00:00:00', targetIp: '172.16.10.1' }));
    expect(arp).toMatchObject({ kind: 'arp', op: 1, senderIp: '172.16.10.11', targetIp: '172.16.10.1' });
    expect(tcpFlagsText(parseTcpFlags('FA'))).toBe('AF');
    expect(() => parseTcpFlags('SX')).toThrow(/unknown TCP flag 'X'/);
    const inner = buildUdp({ srcMac: '00:50:56:a1:00:36', dstMac: '00:50:56:a1:00:41', srcIp: '172.16.10.11', dstIp: '172.16.30.11', srcPort: 1, dstPort: 2 });
    const outer = encapsulate(inner, 5003, { srcVtep: '10.10.0.20', dstVtep: '10.10.0.30', srcMac: '00:50:56:60:00:14', dstMac: '00:50:56:60:00:1e' });
    expect(parseFrame(outer)).toMatchObject({ kind: 'ipv4', srcIp: '10.10.0.20', dstIp: '10.10.0.30', dstPort: 4789 });
    const { vni, frame } = decapsulate(outer);
    expect(vni).toBe(5003);
    expect(Array.from(frame)).toEqual(Array.from(inner));
  });
});

describe('frame batches', () => {
  it('many frames cross as one buffer and decode unchanged; that buffer is what gets transferred', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ probe: fc.nat(), worldId: fc.nat(), vnicIndex: fc.integer({ min: 0, max: 9 }), flags: fc.integer({ min: 0, max: 1 }), frame: fc.uint8Array({ maxLength: 100 }) }), { maxLength: 50 }), (entries) => {
        const buf = encodeFrameBatch(entries);
        expect(decodeFrameBatch(buf).map((e) => ({ ...e, frame: Array.from(e.frame) }))).toEqual(entries.map((e) => ({ ...e, frame: Array.from(e.frame) })));
        expect(transferables([{ to: 'fabric', from: 'host-20', kind: 'frames', body: { frames: buf } }])).toEqual([buf]);
      }),
    );
  });
});
