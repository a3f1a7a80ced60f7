import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Autosave, type SaveState } from '../../src/persistence/autosave';
import { formatBytes, quotaWarning } from '../../src/persistence/quota';
import { classifyStorageError, saveFailureMessage } from '../../src/persistence/storage-errors';

describe('autosave', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('saves once after a burst of changes, and reports each state', async () => {
    const states: SaveState[] = [];
    const save = vi.fn(async () => {});
    const a = new Autosave(save, (s) => states.push(s.state), 500);
    a.schedule();
    await vi.advanceTimersByTimeAsync(300);
    a.schedule();
    a.schedule();
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(500);
    expect(save).toHaveBeenCalledTimes(1);
    expect(states.at(-1)).toBe('saved');
    expect(states).toContain('pending');
    expect(states).toContain('saving');
  });

  it('a due save waits a quiet moment more when postponed; nothing due stays nothing', async () => {
    const save = vi.fn(async () => {});
    const a = new Autosave(save, () => {}, 500);
    a.postpone();
    await vi.advanceTimersByTimeAsync(1000);
    expect(save).not.toHaveBeenCalled();
    a.schedule();
    await vi.advanceTimersByTimeAsync(400);
    a.postpone();
    await vi.advanceTimersByTimeAsync(400);
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(100);
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('never runs two saves at once', async () => {
    let running = 0;
    let most = 0;
    const a = new Autosave(async () => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 100));
      running--;
    });
    const all = Promise.all([a.flush(), a.flush(), a.flush()]);
    await vi.advanceTimersByTimeAsync(400);
    await all;
    expect(most).toBe(1);
  });

  it('keeps a failure until a save succeeds again; cancel drops a scheduled save', async () => {
    let fail = true;
    const seen: { state: SaveState; error: unknown }[] = [];
    const save = vi.fn(async () => {
      if (fail) throw new DOMException('full', 'QuotaExceededError');
    });
    const a = new Autosave(save, (s) => seen.push(s), 100);
    await a.flush();
    expect(seen.at(-1)).toMatchObject({ state: 'failed', error: { name: 'QuotaExceededError' } });
    fail = false;
    await a.flush();
    expect(seen.at(-1)).toEqual({ state: 'saved', error: null });
    a.schedule();
    a.cancel();
    await vi.advanceTimersByTimeAsync(500);
    expect(save).toHaveBeenCalledTimes(2);
  });
});

describe('storage quota and errors', () => {
  it('warns before the quota runs out', () => {
    const GB = 1024 ** 3;
    expect(quotaWarning(1 * GB, 10 * GB, 5e6)).toBe(false);
    expect(quotaWarning(9.5 * GB, 10 * GB, 5e6)).toBe(true); // 95 % used
    expect(quotaWarning(90e6, 100e6, 1e6)).toBe(true); // 10 MB left of a small quota
    expect(quotaWarning(10e6, 300e6, 100e6)).toBe(true); // room for fewer than three more copies of the largest lab
    expect(quotaWarning(0, 0, 0)).toBe(false); // browser does not say
  });

  it('names the failure so the learner knows what to do', () => {
    expect(classifyStorageError(new DOMException('x', 'QuotaExceededError'))).toBe('quota');
    expect(classifyStorageError(new DOMException('x', 'SecurityError'))).toBe('blocked');
    expect(saveFailureMessage(new DOMException('x', 'QuotaExceededError'))).toMatch(/storage for DFW Lab is full.*export it/);
    expect(saveFailureMessage(new DOMException('x', 'InvalidStateError'))).toMatch(/blocking storage/);
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GB');
  });
});
