/** The headless lab's waits (`npm run lab -- --serve`): one request at a time, each within its `Prefer: wait`. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiReply } from '../../src/pwa/api-protocol';
import { inTurnWithin } from '../../scripts/server/in-turn';

const ok = (body: string): ApiReply => ({ status: 200, headers: {}, body });

/** A request's run that ends after `ms` of (fake) time, recording when it started. */
function slow(ms: number, log: string[], name: string) {
  return () => {
    log.push(`start ${name}`);
    return new Promise<ApiReply>((resolve) => setTimeout(() => (log.push(`end ${name}`), resolve(ok(name))), ms));
  };
}

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('a headless request within its wait', () => {
  it('answers in time with Preference-Applied when the wait was asked, without it otherwise', async () => {
    const asked = inTurnWithin(Promise.resolve(), 'wait=5', async () => ok('a'));
    await expect(asked.reply).resolves.toMatchObject({ status: 200, body: 'a', headers: { 'preference-applied': 'wait=5' } });
    const plain = inTurnWithin(Promise.resolve(), undefined, async () => ok('b'));
    expect((await plain.reply).headers).toEqual({});
  });

  it('never runs a request whose turn comes after its deadline: 504, the queue goes on', async () => {
    const log: string[] = [];
    const first = inTurnWithin(Promise.resolve(), undefined, slow(3_000, log, 'first'));
    const second = inTurnWithin(first.ended, 'wait=1', slow(10, log, 'second'));
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(second.reply).resolves.toMatchObject({ status: 504, headers: { 'preference-applied': 'wait=1' } });
    await vi.advanceTimersByTimeAsync(3_000);
    await second.ended;
    expect(log).toEqual(['start first', 'end first']);
    expect((await first.reply).status).toBe(200);
  });

  it('answers 202 for a request still running at its deadline, and the next one waits until it ends', async () => {
    const log: string[] = [];
    const long = inTurnWithin(Promise.resolve(), 'wait=1', slow(2_500, log, 'long'));
    const next = inTurnWithin(long.ended, 'wait=10', slow(10, log, 'next'));
    await vi.advanceTimersByTimeAsync(1_000);
    const late = await long.reply;
    expect(late.status).toBe(202);
    expect(late.headers['x-dfw-lab-request']).toBe('still-running');
    expect(log).toEqual(['start long']);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await next.reply).toMatchObject({ status: 200, body: 'next' });
    expect(log).toEqual(['start long', 'end long', 'start next', 'end next']);
  });
});
