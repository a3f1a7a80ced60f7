/**
 * Traffic bursts for load: packet headers in one transferable buffer (the kernel's
 * BATCH_STRIDE layout) go through a vNIC's filters in one call, then on to the receiving
 * host, which runs them through its inbound filters. Verdict counts go to the lab.
 * Forwarding one virtual millisecond later lets the sender's next batch and the
 * receiver's current one run at the same time in their two workers.
 */
import type { ComponentContext } from '../lab/component';
import type { Datapath } from './datapath';
import type { HostedVm } from './host-state';
import { hostAddress, type BurstRequest } from '../protocol/messages/host';
import { LAB } from '../protocol/messages/lab';

export type { BurstRequest } from '../protocol/messages/host';

interface BatchingDatapath {
  processBatch(worldId: number, vnicIndex: number, dir: 'in' | 'out', headers: Int32Array, count: number, out: Uint8Array): void;
}

interface BurstHost {
  readonly id: string;
  readonly datapath: Datapath;
  vmNamed(name: string): HostedVm;
}

export function runBurst(host: BurstHost, req: BurstRequest, ctx: ComponentContext): void {
  const vm = host.vmNamed(req.vm);
  const verdicts = new Uint8Array(req.count);
  const dp = host.datapath as Partial<BatchingDatapath>;
  // An unprepared host has no batch path: everything passes, as its frames do.
  if (typeof dp.processBatch === 'function') dp.processBatch(vm.worldId, vm.vnics[0]!.index, req.dir, new Int32Array(req.frames), req.count, verdicts);
  let passed = 0;
  for (let i = 0; i < req.count; i++) if (verdicts[i] === 0) passed++;
  ctx.send(LAB, 'burst-result', { host: host.id, vm: vm.name, dir: req.dir, batch: req.batch, passed, dropped: req.count - passed });
  if (!req.forward || !passed) return;
  const frames = passed === req.count ? req.frames : onlyPassed(new Int32Array(req.frames), verdicts, passed);
  ctx.send(hostAddress(req.forward.host), 'burst', { vm: req.forward.vm, dir: 'in', frames, count: passed, batch: req.batch } satisfies BurstRequest, 1);
}

/** The headers of the packets the filters let through, in order. */
function onlyPassed(headers: Int32Array, verdicts: Uint8Array, passed: number): ArrayBuffer {
  const stride = headers.length / verdicts.length;
  const out = new Int32Array(passed * stride);
  for (let i = 0, o = 0; i < verdicts.length; i++) {
    if (verdicts[i] !== 0) continue;
    out.set(headers.subarray(i * stride, (i + 1) * stride), o);
    o += stride;
  }
  return out.buffer;
}
