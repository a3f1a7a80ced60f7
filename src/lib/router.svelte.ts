/**
 * Hash routes (`#/nsx/firewall`, `#/consoles/host-20`): the app is served as static files and
 * works offline, so the hash is the only part of the URL it owns.
 */
import { safeDecode } from './safe-decode';

export class Router {
  path = $state('/');

  constructor() {
    this.read();
    globalThis.addEventListener?.('hashchange', () => this.read());
  }

  private read(): void {
    const raw = globalThis.location?.hash.replace(/^#/, '') ?? '';
    this.path = raw.startsWith('/') ? raw : '/';
  }

  go(path: string): void {
    if (this.path === path) return;
    location.hash = path;
    this.path = path;
  }

  /** True when the current path is `prefix` or below it. */
  under(prefix: string): boolean {
    return prefix === '/' ? this.path === '/' : this.path === prefix || this.path.startsWith(`${prefix}/`);
  }

  /** The path segment after `prefix`, e.g. `host-20` for `/consoles/host-20` under `/consoles`. */
  rest(prefix: string): string {
    return this.path.startsWith(`${prefix}/`) ? safeDecode(this.path.slice(prefix.length + 1)) : '';
  }
}

