/**
 * The command registry when one screen is mounted twice for a moment (the new instance
 * registers before the old one is destroyed, or the other way round): the instance left
 * standing keeps its commands, so its buttons stay on the page; removing is what a destroyed
 * screen asked for, and only that.
 */
import { describe, expect, it } from 'vitest';
import { CommandRegistry, type Command } from '../../src/lib/commands.svelte';

/** Removal happens after the teardown that asked for it (a microtask later). */
const settled = () => new Promise<void>((resolve) => queueMicrotask(resolve));

/** Which registration ran last. */
let ran = '';
const cmd = (id: string, owner: string): Command => ({ id, title: `${id} of ${owner}`, group: 'Virtual machine', run: () => void (ran = owner) });
/** Runs a command and says whose registration ran. */
const runBy = (r: CommandRegistry, id: string) => {
  ran = '';
  void r.run(id);
  return ran;
};

describe('CommandRegistry', () => {
  it('a second registration of an id shadows the first; removing it brings the first back', async () => {
    const r = new CommandRegistry();
    const offA = r.register(cmd('vm.tools', 'A'), cmd('vm.power', 'A'));
    const offB = r.register(cmd('vm.tools', 'B'), cmd('vm.power', 'B'));
    expect(runBy(r, 'vm.tools')).toBe('B');
    offB();
    await settled();
    expect(runBy(r, 'vm.tools')).toBe('A');
    expect(runBy(r, 'vm.power')).toBe('A');
    expect(r.commands).toHaveLength(2);
    offA();
    await settled();
    expect(r.commands).toHaveLength(0);
  });

  it('removing the shadowed (older) registration leaves the newer one alone', async () => {
    const r = new CommandRegistry();
    const offA = r.register(cmd('vm.tools', 'A'));
    const offB = r.register(cmd('vm.tools', 'B'));
    offA();
    await settled();
    expect(runBy(r, 'vm.tools')).toBe('B');
    offB();
    await settled();
    expect(r.get('vm.tools')).toBeUndefined();
  });

  it('commands of other ids are untouched', async () => {
    const r = new CommandRegistry();
    r.register(cmd('fw.publish', 'F'));
    const off = r.register(cmd('vm.tools', 'A'));
    off();
    await settled();
    expect(r.commands.map((c) => c.id)).toEqual(['fw.publish']);
  });
});
