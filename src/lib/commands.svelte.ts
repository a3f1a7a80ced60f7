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
  run: () => unknown;
  enabled?: () => boolean;
  /** Shortcuts marked global also work while typing in a field (mod+ chords only). */
  global?: boolean;
}

const TYPING = 'input, textarea, select, [contenteditable="true"], .xterm';

export class CommandRegistry {
  commands = $state<Command[]>([]);
  sheetOpen = $state(false);
  private matcher = new SequenceMatcher();

  /** Adds commands; the returned function removes them (components register on mount). */
  register(...cmds: Command[]): () => void {
    const ids = cmds.map((c) => c.id);
    this.commands = [...this.commands.filter((c) => !ids.includes(c.id)), ...cmds];
    return () => {
      this.commands = this.commands.filter((c) => !cmds.includes(c));
    };
  }

  get(id: string): Command | undefined {
    return this.commands.find((c) => c.id === id);
  }

  isEnabled(id: string): boolean {
    const c = this.get(id);
    return !!c && (c.enabled?.() ?? true);
  }

  run(id: string): unknown {
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
