/**
 * The guest OS state as a lab document carries it (GuestState), checked before a lab loads.
 * Loose objects: a field this version does not list is kept, never dropped.
 */
import * as v from 'valibot';
import { recordOf } from '../lab/record-schema';

const int = v.pipe(v.number(), v.integer());
const port = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535));
/** Guest addresses are whatever the learner set: `ip addr` validates them, the document only their type. */
const address = v.string();

const ConnPurposeSchema = v.looseObject({
  probe: int,
  goal: v.picklist(['exchange', 'open', 'send', 'close', 'ftp', 'ftp-data', 'ftp-push', 'dialog', 'dialog-data']),
  session: v.optional(v.string()),
  request: v.optional(v.string()),
  reply: v.optional(v.string()),
});

export const GuestStateSchema = v.looseObject({
  vm: v.string(),
  name: v.string(),
  mac: v.string(),
  ip: address,
  prefix: v.pipe(int, v.minValue(0), v.maxValue(32)),
  gateway: address,
  listens: v.array(v.string()),
  toolsRunning: v.boolean(),
  arp: recordOf(v.looseObject({ mac: v.string(), expires: v.number() })),
  conns: v.array(
    v.looseObject({
      localPort: port,
      remoteIp: address,
      remotePort: port,
      state: v.picklist(['SYN_SENT', 'SYN_RCVD', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']),
      sndNxt: v.number(),
      rcvNxt: v.number(),
      role: v.picklist(['client', 'server']),
      purpose: v.optional(ConnPurposeSchema),
    }),
  ),
  exchanges: v.array(
    v.looseObject({ probe: int, proto: v.picklist(['udp', 'icmp']), remoteIp: address, localPort: port, remotePort: port, icmpId: int }),
  ),
  parked: v.array(v.looseObject({ nextHop: address, probe: int, frame: v.array(v.pipe(int, v.minValue(0), v.maxValue(255))) })),
  sessions: recordOf(v.looseObject({ localPort: port, remoteIp: address, remotePort: port })),
  nextPort: port,
  /** A console client between its control and announced connections (labs settle first, so rarely saved). */
  dialog: v.optional(v.looseObject({ probe: int, tool: v.picklist(['tnsping', 'sqlplus', 'rpcclient']), server: address, port, ctlPort: port, stage: v.picklist(['control', 'data', 'done']), out: v.array(v.string()) })),
  tnsd: v.optional(v.looseObject({ ports: v.array(port) })),
});
