/**
 * The TNS and DCE/RPC encodings the guests speak and the kernel's ALGs read: what one side
 * writes the other reads back, and no byte string makes a reader throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipToInt } from '../../workers/protocol/addresses';
import {
  EPM_UUID, EPT_MAP, PType, buildBind, buildBindAck, buildTower, eptMapAnswer, eptMapAsked, eptMapRequest, eptMapResponse, parsePdu, parseTower, uuidBytes, uuidString,
} from '../../workers/protocol/dcerpc';
import { TnsType, buildTnsAccept, buildTnsConnect, buildTnsData, buildTnsRedirect, buildTnsRefuse, parseTnsPacket, tnsParam } from '../../workers/protocol/tns';
import { scanEptMapResponse } from '../../workers/host/kernel/alg/msrpc';
import { scanTnsRedirect } from '../../workers/host/kernel/alg/tns';

const SRVSVC = '4b324fc8-1670-01d3-1278-5a47bf6ee188';

describe('TNS packets', () => {
  it('carry their descriptors and payloads through build and parse', () => {
    const d = '(DESCRIPTION=(CONNECT_DATA=(SERVICE_NAME=ORCL)(CID=(PROGRAM=sqlplus)(USER=oracle)))(ADDRESS=(PROTOCOL=tcp)(HOST=172.16.30.11)(PORT=1521)))';
    const connect = buildTnsConnect(d);
    expect(connect.length).toBe(58 + d.length);
    expect(parseTnsPacket(connect)).toEqual({ type: TnsType.Connect, text: d });
    expect(tnsParam(d, 'service_name')).toBe('ORCL');
    expect(parseTnsPacket(buildTnsRefuse('(DESCRIPTION=(ERR=12514))'))).toEqual({ type: TnsType.Refuse, text: '(DESCRIPTION=(ERR=12514))' });
    expect(parseTnsPacket(buildTnsData('AUTH scott'))).toEqual({ type: TnsType.Data, text: 'AUTH scott' });
    expect(parseTnsPacket(buildTnsAccept())?.type).toBe(TnsType.Accept);
    const redirect = buildTnsRedirect('172.16.30.11', 40_123);
    expect(tnsParam(parseTnsPacket(redirect)!.text, 'PORT')).toBe('40123');
    expect(scanTnsRedirect(redirect, 0, redirect.length)).toEqual({ ip: ipToInt('172.16.30.11') | 0, port: 40_123 });
    // Only a REDIRECT announces: the same address in a CONNECT is the client's own descriptor.
    expect(scanTnsRedirect(connect, 0, connect.length)).toBeNull();
  });
});

describe('DCE/RPC PDUs', () => {
  it('keep UUIDs in NDR byte order and read back binds, ept_map requests and responses', () => {
    expect(uuidString(uuidBytes(EPM_UUID), 0)).toBe(EPM_UUID);
    expect(Array.from(uuidBytes(EPM_UUID).subarray(0, 4))).toEqual([0x08, 0x83, 0xaf, 0xe1]);
    expect(parsePdu(buildBind(1, SRVSVC, 3))).toMatchObject({ ptype: PType.Bind, callId: 1, uuid: SRVSVC });
    expect(parsePdu(buildBindAck(1, '135'))).toMatchObject({ ptype: PType.BindAck, callId: 1 });
    const request = parsePdu(eptMapRequest(2, SRVSVC, 3))!;
    expect(request).toMatchObject({ ptype: PType.Request, opnum: EPT_MAP });
    expect(eptMapAsked(request.stub)).toEqual({ uuid: SRVSVC, port: 0, ip: 0 });
    const ip = ipToInt('172.16.20.11') | 0;
    const response = eptMapResponse(2, buildTower(SRVSVC, 3, 49_154, ip));
    expect(eptMapAnswer(parsePdu(response)!.stub)).toEqual({ uuid: SRVSVC, port: 49_154, ip });
    expect(scanEptMapResponse(response, 0, response.length, 0)).toEqual({ ip, port: 49_154 });
    expect(eptMapAnswer(parsePdu(eptMapResponse(2, null))!.stub)).toBeNull();
    expect(parseTower(buildTower(SRVSVC, 3, 1, 0), 0)).toEqual({ uuid: SRVSVC, port: 1, ip: 0 });
  });
});

describe('readers', () => {
  it('never throw on arbitrary bytes (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (b, off) => {
        parseTnsPacket(b);
        parsePdu(b);
        parseTower(b, Math.min(off, b.length));
        eptMapAsked(b);
        eptMapAnswer(b);
        scanTnsRedirect(b, 0, b.length);
        scanEptMapResponse(b, 0, b.length, 1);
        return true;
      }),
      { numRuns: 500 },
    );
  });
});
