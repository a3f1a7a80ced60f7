import { describe, expect, it } from 'vitest';
import { AMQP } from '../../workers/protocol/amqp';
import { outputTransferables, transferables } from '../../workers/lab/transport';

const payload = () => new ArrayBuffer(8);

describe('which buffers cross a worker boundary by transfer', () => {
  it('the lab moves every body buffer into a unit, once, except those another unit also receives', () => {
    const [a, b, frames] = [payload(), payload(), payload()];
    const batch = [
      { to: 'host-10', from: 'bus', kind: AMQP.deliver, body: { payload: a } },
      { to: 'host-10', from: 'bus', kind: AMQP.deliver, body: { payload: a } },
      { to: 'host-10', from: 'bus', kind: AMQP.deliver, body: { payload: b } },
      { to: 'host-10', from: 'fabric', kind: 'frames', body: { frames } },
    ];
    expect(transferables(batch)).toEqual([a, b, frames]);
    expect(transferables(batch, new Set([b]))).toEqual([a, frames]);
  });

  it('a unit moves out what it publishes and its frames, but not what the broker delivers (kept for redelivery)', () => {
    const [published, delivered, frames] = [payload(), payload(), payload()];
    const out = [
      { to: 'bus', from: 'manager', kind: AMQP.publish, body: { payload: published } },
      { to: 'host-20', from: 'bus', kind: AMQP.deliver, body: { payload: delivered } },
      { to: 'fabric', from: 'host-20', kind: 'frames', body: { frames } },
    ];
    expect(outputTransferables(out)).toEqual([published, frames]);
  });
});
