/**
 * Keyboard shortcut notation: `mod+z` (Ctrl, or ⌘ on a Mac), `mod+shift+z`, `?`, and
 * two-key sequences such as `g f`. Printable characters are matched as typed, so `?` needs no
 * `shift+`.
 */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

export function chordOf(e: KeyLike): string {
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const mods: string[] = [];
  if (e.ctrlKey || e.metaKey) mods.push('mod');
  if (e.altKey) mods.push('alt');
  // Shift is part of a printable character ('?', 'G'); it only counts with other modifiers or named keys.
  if (e.shiftKey && (mods.length > 0 || e.key.length > 1)) mods.push('shift');
  return [...mods, key === ' ' ? 'space' : key].join('+');
}

/** How a shortcut is shown to people: `Ctrl+Z`, `G then F`. */
export function displayKeys(keys: string, mac = false): string {
  return keys
    .split(' ')
    .map((chord) =>
      chord
        .split('+')
        .map((p) => (p === 'mod' ? (mac ? '⌘' : 'Ctrl') : p === 'shift' ? 'Shift' : p === 'alt' ? (mac ? '⌥' : 'Alt') : p.length === 1 ? p.toUpperCase() : p))
        .join('+'),
    )
    .join(' then ');
}

/** Matches key chords against shortcuts, remembering the first key of a sequence. */
export class SequenceMatcher {
  private pending = '';

  /** Returns the shortcut that completed, '' when a sequence is under way, undefined otherwise. */
  feed(chord: string, shortcuts: string[]): string | undefined {
    const candidate = this.pending ? `${this.pending} ${chord}` : chord;
    if (shortcuts.includes(candidate)) {
      this.pending = '';
      return candidate;
    }
    if (shortcuts.some((s) => s.startsWith(`${candidate} `))) {
      this.pending = candidate;
      return '';
    }
    this.pending = '';
    if (candidate !== chord) return this.feed(chord, shortcuts);
    return undefined;
  }

  reset(): void {
    this.pending = '';
  }
}
