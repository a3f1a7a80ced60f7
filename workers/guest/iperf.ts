/**
 * `iperf` in a guest console: `iperf -s [-D]` starts the server on TCP/5001, `iperf -c HOST
 * [-n MB | -t SECONDS]` runs a bulk transfer to it. The connection is real (the DFW and any
 * bridging firewall VM decide); its duration follows the path's throughput (see
 * workers/fabric/bridge/throughput.ts) and moves the lab clock. Units are the seed's: 1 MB =
 * 1,000,000 bytes.
 */
import type { GuestState } from './guest-state';
import { MB, type TransferPlan } from '../protocol/transfer';

export const IPERF_PORT = 5001;
const MAX_MB = 2000;
const MAX_SECONDS = 60;
const DEFAULT_SECONDS = 10;

export type IperfClient = { host: string; amount: { mb: number } | { seconds: number } };

const USAGE = 'Usage: iperf [-s|-c host] [options]\n  -s [-D]          run the server (on TCP port 5001; -D in the background)\n  -c host          run a client: a bulk transfer to host\n  -n N[M]          megabytes (1 MB = 1,000,000 bytes) to send, at most 2000\n  -t N             seconds to send for (default 10, at most 60)';

/** `iperf -s`: the server listens from now on; null when the line is not `iperf -s`. */
export function runIperfServer(s: GuestState, cmd: string): string | null {
  if (!/^iperf (?:-s|--server)(?: -D)?$/.test(cmd)) return null;
  if (!s.listens.includes(`tcp/${IPERF_PORT}`)) s.listens.push(`tcp/${IPERF_PORT}`);
  return ['------------------------------------------------------------', `Server listening on TCP port ${IPERF_PORT}`, 'TCP window size: 85.3 KByte (default)', '------------------------------------------------------------', 'Running Iperf Server as a daemon'].join('\n');
}

/** `iperf -c …`: parsed, or the refusal; null for any other line (`iperf -s` goes to the guest). */
export function parseIperfClient(line: string): { ok: true; cmd: IperfClient } | { ok: false; text: string } | null {
  const w = line.trim().split(/\s+/);
  if (w[0] !== 'iperf' || w.includes('-s') || w.includes('--server')) return null;
  let host: string | undefined;
  let amount: IperfClient['amount'] = { seconds: DEFAULT_SECONDS };
  for (let i = 1; i < w.length; i++) {
    const value = w[i + 1];
    if (w[i] === '-c' || w[i] === '--client') {
      if (value === undefined) return { ok: false, text: 'iperf: option requires an argument -- c' };
      host = value;
      i++;
    } else if (w[i] === '-n' || w[i] === '--num') {
      const m = /^(\d+(?:\.\d+)?)M?$/i.exec(value ?? '');
      if (!m || Number(m[1]) <= 0 || Number(m[1]) > MAX_MB) return { ok: false, text: `iperf: -n takes megabytes, more than 0 and at most ${MAX_MB} (e.g. -n 100M)` };
      amount = { mb: Number(m[1]) };
      i++;
    } else if (w[i] === '-t' || w[i] === '--time') {
      const t = Number(value);
      if (!Number.isFinite(t) || t <= 0 || t > MAX_SECONDS) return { ok: false, text: `iperf: -t takes seconds, more than 0 and at most ${MAX_SECONDS}` };
      amount = { seconds: t };
      i++;
    } else if (w[i] === '-f' && /^[mM]$/.test(value ?? '')) i++;
    else return { ok: false, text: `iperf: unknown option ${w[i]}\n${USAGE}` };
  }
  if (!host) return { ok: false, text: USAGE };
  return { ok: true, cmd: { host, amount } };
}

/** Bytes a client sends: `-n` as given, `-t` at the path's rate. */
export function bytesToSend(cmd: IperfClient, bytesPerSecond: number): number {
  return 'mb' in cmd.amount ? Math.round(cmd.amount.mb * MB) : Math.round(cmd.amount.seconds * bytesPerSecond);
}

const fixed = (n: number, d: number) => n.toFixed(d);

export function iperfHeader(ip: string): string {
  return ['------------------------------------------------------------', `Client connecting to ${ip}, TCP port ${IPERF_PORT}`, 'TCP window size: 85.0 KByte (default)', '------------------------------------------------------------'].join('\n');
}

/**
 * The client's report, then what the lab measured on the way (path and CPU), marked as the lab's:
 * one short fact per line, so a console beside the lesson dock wraps none of them mid-number.
 */
export function iperfReport(from: string, to: string, plan: TransferPlan, route: { path: string; detail: string }): string {
  const mbps = plan.bytesPerSecond / MB;
  const cpu = Object.entries(plan.hostCpuMhz).map(([h, mhz]) => `(lab)   ${h} ${fixed(mhz, 1)} MHz`);
  return [
    iperfHeader(to),
    `[  3] local ${from} connected with ${to} port ${IPERF_PORT}`,
    '[ ID] Interval       Transfer     Bandwidth',
    `[  3]  0.0-${fixed(plan.seconds, 1)} sec  ${fixed(plan.bytes / MB, 1)} MB  ${fixed(mbps, 2)} MB/s (${fixed(mbps * 8, 1)} Mbit/s)`,
    `(lab) path: ${route.path}`,
    `(lab)   ${route.detail}`,
    `(lab) host CPU while it ran:${cpu.length ? '' : ' none measured'}`,
    ...cpu,
  ].join('\n');
}
