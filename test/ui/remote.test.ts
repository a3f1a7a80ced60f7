import { describe, expect, it } from 'vitest';
import { Remote } from '../../src/lib/nsx/remote.svelte';

/** A fetcher whose answers the test releases in any order. */
function controlled() {
  const pending: ((v: string) => void)[] = [];
  const fetcher = () => new Promise<string>((resolve) => pending.push(resolve));
  return { fetcher, answer: (i: number, v: string) => pending[i]!(v) };
}

describe('Remote', () => {
  it('shows the latest load, even when an earlier one answers after it (a header keeps no stale value)', async () => {
    const { fetcher, answer } = controlled();
    const remote = new Remote(fetcher);
    const before = remote.load(); // started before the save: failClosed
    const after = remote.load(); // the re-read after it: failOpen
    answer(1, 'failOpen');
    await after;
    expect(remote.data).toBe('failOpen');
    expect(remote.loading).toBe(false);
    answer(0, 'failClosed');
    await before;
    expect(remote.data).toBe('failOpen');
    expect(remote.loading).toBe(false);
  });

  it('shows the error of the latest load, not the data of an earlier one', async () => {
    let calls = 0;
    const remote = new Remote(async () => {
      calls++;
      if (calls === 2) throw new Error('500: no details');
      return 'first';
    });
    await Promise.all([remote.load(), remote.load()]);
    expect(remote.data).toBeNull();
    expect(remote.error).toBe('500: no details');
  });
});
