import { describe, expect, it } from 'vitest';
import { nodeWorkerTransport } from '../../workers/lab/node-transport';
import { formatEvent } from '../../workers/protocol/events';
import { bootClassroom } from './helpers';
import { playScript } from '../../workers/lab/determinism-script';
import type { Transport, WorkerUnitHandle } from '../../workers/lab/transport';

describe('transports', () => {
  it('the same script gives identical event logs in-process and across worker_threads', async () => {
    const inProcess = await bootClassroom();
    const verdictsA = await playScript(inProcess);
    const workers = await bootClassroom(nodeWorkerTransport());
    try {
      const verdictsB = await playScript(workers);
      expect(verdictsB).toEqual(verdictsA);
      expect(workers.lab.events.map(formatEvent)).toEqual(inProcess.lab.events.map(formatEvent));
      expect(workers.lab.events).toEqual(inProcess.lab.events);
      expect(await workers.lab.snapshot()).toEqual(await inProcess.lab.snapshot());
      // The script exercises traffic, a vMotion, an IP change and Tools: the log is not trivially empty.
      expect(inProcess.lab.events.length).toBeGreaterThan(5);
      expect(verdictsA.every((v) => v.startsWith('allowed'))).toBe(true);
      // Each worker reports its own isolate's heap (the memory bench sums them); in-process units have none of their own.
      const heaps = await workers.lab.heapBytes();
      expect(Object.keys(heaps)).toEqual(expect.arrayContaining(['manager', 'bus']));
      expect(Object.keys(heaps).length).toBeGreaterThanOrEqual(5);
      expect(Object.values(heaps).every((b) => b > 1e6 && b < 512 * 2 ** 20)).toBe(true);
      expect(new Set(Object.values(heaps)).size).toBeGreaterThan(1);
      expect(await inProcess.lab.heapBytes()).toEqual({});
      // Each worker's thread CPU (Linux), and the part its deliveries took: the script's waves ran in every host.
      const cpu = await workers.lab.threadCpu();
      if (process.platform === 'linux') {
        expect(Object.keys(cpu)).toEqual(expect.arrayContaining(['manager', 'bus', 'host-20', 'host-21']));
        expect(Object.values(cpu).every((c) => c.deliveringMs >= 0 && c.deliveringMs <= c.totalMs)).toBe(true);
        // schedstat's count moves at the scheduler's tick or a switch, so one unit's few short deliveries
        // may read 0 on a busy machine; the units' deliveries together span many ticks.
        expect(Object.values(cpu).reduce((sum, c) => sum + c.deliveringMs, 0)).toBeGreaterThan(0);
        const later = await workers.lab.threadCpu();
        expect(later['host-20']!.totalMs).toBeGreaterThanOrEqual(cpu['host-20']!.totalMs);
        expect(later['host-20']!.deliveringMs).toBe(cpu['host-20']!.deliveringMs); // a reading delivers nothing
      }
      expect(await inProcess.lab.threadCpu()).toEqual({});
    } finally {
      workers.lab.dispose();
    }
  });

  it('a worker emptied for another lab (fresh) runs it as a new worker would: same log, nothing of the last lab left', async () => {
    const spawn = nodeWorkerTransport();
    const workers = new Map<string, WorkerUnitHandle>();
    // The page's pool in short: each unit id keeps its worker across labs; closing a lab keeps them running.
    const pooled: Transport = (unitId, types) => {
      if (!workers.has(unitId)) workers.set(unitId, spawn(unitId, types) as WorkerUnitHandle);
      return { ...workers.get(unitId)!, dispose: () => undefined };
    };
    const inProcess = await bootClassroom();
    const verdicts = await playScript(inProcess);
    try {
      const first = await bootClassroom(pooled);
      await playScript(first);
      first.lab.dispose();
      await Promise.all([...workers.values()].map((w) => w.fresh()));
      expect(workers.size).toBeGreaterThanOrEqual(5);
      for (const w of workers.values()) expect(await w.snapshot()).toEqual({});
      const second = await bootClassroom(pooled);
      expect(await playScript(second)).toEqual(verdicts);
      expect(second.lab.events).toEqual(inProcess.lab.events);
      expect(await second.lab.snapshot()).toEqual(await inProcess.lab.snapshot());
    } finally {
      for (const w of workers.values()) w.dispose();
    }
  });
});
