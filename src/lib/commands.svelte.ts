/**
 * The command registry: every action the app offers has one entry (title, group, shortcut,
 * enabled state), and buttons, menus, the `?` sheet and the keyboard all run it from here.
 */
import { chordOf, SequenceMatcher, type KeyLike } from './keys';

export interface Command {
  id: string;
  title: string;
  group: string;
  /** Shortcut in `keys.ts` notation. */
  keys?: string;
  run: () => void | Promise<void>;
  enabled?: () => boolean;
  /** Shortcuts marked global also work while typing in a field (mod+ chords only). */
  global?: boolean;
}

const TYPING = 'input, textarea, select, [contenteditable="true"], .xterm';

export class CommandRegistry {
  /** Raw, always replaced whole: a deep proxy would hide the registered objects from `includes` and nothing was ever removed. */
  commands = $state.raw<Command[]>([]);
  sheetOpen = $state(false);
  private matcher = new SequenceMatcher();

  /**
   * Adds commands; the returned function removes them (components register on mount). A command
   * registered again under the same id (a second instance of a screen mounting before the first
   * is gone) shadows the earlier one, and removing it brings the earlier one back, so the
   * instance that stays shown keeps its buttons.
   */
  register(...cmds: Command[]): () => void {
    const ids = cmds.map((c) => c.id);
    this.shadowed = [...this.shadowed, ...this.commands.filter((c) => ids.includes(c.id))];
    this.commands = [...this.commands.filter((c) => !ids.includes(c.id)), ...cmds];
    // Removed after the teardown that asked for it: written during the old screen's teardown, in
    // the same update that mounts the new screen, the change left the new screen's buttons
    // reading an empty registry (Inventory's VM actions were missing after leaving Firewall).
    return () =>
      queueMicrotask(() => {
        this.shadowed = this.shadowed.filter((c) => !cmds.includes(c));
        const gone = this.commands.filter((c) => cmds.includes(c)).map((c) => c.id);
        const back = gone.map((id) => this.shadowed.findLast((c) => c.id === id)).filter((c): c is Command => !!c);
        this.shadowed = this.shadowed.filter((c) => !back.includes(c));
        this.commands = [...this.commands.filter((c) => !cmds.includes(c)), ...back];
      });
  }

  /** Earlier registrations under an id registered again since, newest last. */
  private shadowed: Command[] = [];

  get(id: string): Command | undefined {
    return this.commands.find((c) => c.id === id);
  }

  isEnabled(id: string): boolean {
    const c = this.get(id);
    return !!c && (c.enabled?.() ?? true);
  }

  run(id: string): void | Promise<void> {
    const c = this.get(id);
    if (!c || !(c.enabled?.() ?? true)) return undefined;
    return c.run();
  }

  groups(): [string, Command[]][] {
    const by: Record<string, Command[]> = {};
    for (const c of this.commands) (by[c.group] ??= []).push(c);
    return Object.entries(by);
  }

  /** Keyboard entry point; returns true when a command ran. */
  handleKey(e: KeyLike & { target?: EventTarget | null }): boolean {
    const chord = chordOf(e);
    const typing = e.target instanceof Element && !!e.target.closest(TYPING);
    const usable = this.commands.filter((c) => c.keys && (!typing || (c.global && c.keys.startsWith('mod+'))));
    const hit = this.matcher.feed(chord, usable.map((c) => c.keys!));
    if (!hit) return false;
    const cmd = usable.find((c) => c.keys === hit);
    if (!cmd || !(cmd.enabled?.() ?? true)) return false;
    void cmd.run();
    return true;
  }
}
