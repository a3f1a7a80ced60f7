import { defineConfig } from '@playwright/test';

/** Debian's Chromium, never a downloaded browser; flags keep it off the network this machine does not have. */
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];

/** Engineers running suites side by side pick their own port: DFW_E2E_PORT=4191 npx playwright test. */
const port = Number(process.env.DFW_E2E_PORT ?? 4173);

/**
 * The preview server relays a terminal's curl to "the" lab tab open on it, so the spec that drives
 * the relay gets a server of its own (50 ports up, clear of neighbours' DFW_E2E_PORT): tabs of specs
 * running beside it never answer.
 */
export const RELAY_BASE_URL = `http://127.0.0.1:${port + 50}`;

/**
 * The app's lab clock runs in realtime by default (it follows wall time); the specs were written
 * against a clock that moves only when they move it, so they start in simulation mode. A spec
 * that wants realtime says `test.use({ storageState: { cookies: [], origins: [] } })`.
 */
export const simulationFor = (origin: string) => ({ cookies: [], origins: [{ origin, localStorage: [{ name: 'dfw-lab.clock-mode', value: 'simulation' }] }] });

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  // A probe's verdict or a reloaded screen can take over 5 s on a busy 2-core runner; a wait that passes costs nothing more.
  expect: { timeout: 10_000 },
  // One worker: each lab runs seven Web Workers of its own, and on a 2-core runner two browsers side
  // by side took 2.3 times as long per test (measured 2026-12-07), so the suite gained nothing.
  fullyParallel: false,
  workers: Number(process.env.DFW_E2E_WORKERS ?? 1),
  // One retry on CI: drag-and-drop and heavy-lab reloads can miss a deadline on a busy 2-core runner; a real failure fails twice.
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 800 },
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS },
    trace: 'off',
    screenshot: 'only-on-failure',
    storageState: simulationFor(`http://127.0.0.1:${port}`),
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: [port, port + 50].map((p) => ({
    command: `npx vite preview --host 127.0.0.1 --port ${p} --strictPort`,
    url: `http://127.0.0.1:${p}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  })),
});
