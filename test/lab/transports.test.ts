import { describe, expect, it } from 'vitest';
import { nodeWorkerTransport } from '../../workers/lab/node-transport';
import { formatEvent } from '../../workers/lab/events';
import { bootClassroom } from './helpers';
import { playScript } from '../../workers/lab/determinism-script';

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
    } finally {
      workers.lab.dispose();
    }
  });
});
