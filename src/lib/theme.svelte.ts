/** Light, dark or follow the system; remembered per browser. */
export type ThemeMode = 'system' | 'light' | 'dark';

const KEY = 'dfw-lab.theme';

export class Theme {
  mode = $state<ThemeMode>('system');

  constructor() {
    const saved = globalThis.localStorage?.getItem(KEY);
    if (saved === 'light' || saved === 'dark' || saved === 'system') this.mode = saved;
    this.apply();
  }

  set(mode: ThemeMode): void {
    this.mode = mode;
    globalThis.localStorage?.setItem(KEY, mode);
    this.apply();
  }

  /** Cycles system → light → dark, for the keyboard shortcut. */
  next(): void {
    this.set(this.mode === 'system' ? 'light' : this.mode === 'light' ? 'dark' : 'system');
  }

  private apply(): void {
    const root = globalThis.document?.documentElement;
    if (!root) return;
    if (this.mode === 'system') delete root.dataset.theme;
    else root.dataset.theme = this.mode;
  }
}
