import { defineConfig } from '@playwright/test';

/** Debian's Chromium, never a downloaded browser; flags keep it off the network this machine does not have. */
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];

/** Engineers running suites side by side pick their own port: DFW_E2E_PORT=4191 npx playwright test. */
const port = Number(process.env.DFW_E2E_PORT ?? 4173);

/**
 * The app's lab clock runs in realtime by default (it follows wall time); the specs were written
 * against a clock that moves only when they move it, so they start in simulation mode. A spec
 * that wants realtime says `test.use({ storageState: REALTIME })`.
 */
const SIMULATION = { cookies: [], origins: [{ origin: `http://127.0.0.1:${port}`, localStorage: [{ name: 'dfw-lab.clock-mode', value: 'simulation' }] }] };

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  // One retry on CI: drag-and-drop and heavy-lab reloads can miss a deadline on a busy 2-core runner; a real failure fails twice.
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 800 },
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS },
    trace: 'off',
    screenshot: 'only-on-failure',
    storageState: SIMULATION,
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
