/** Waits until `vite preview` answers at `url` (the browser benches start it themselves), up to 30 s: a busy machine is slow to start it. */
export async function waitForServer(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`vite preview did not start on ${url}`);
}
