import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// Unit, integration and property tests run in Node; end-to-end tests live in test/e2e and run under Playwright.
export default defineConfig({
  // Compiles runes in *.svelte.ts modules (the lesson player and store) for their unit tests.
  plugins: [svelte()],
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    // worker_threads tests boot seven tsx-transpiled workers: ~10 s on a quiet 2-core machine, several times that under load.
    testTimeout: 120_000,
    pool: 'threads',
    // Vitest runs one file at a time when it sees 2 cores (cores - 1 workers); two side by side use
    // both cores of the CI runner (paired on the loaded machine, six of the slowest files: 272 s ->
    // 227 s wall).
    maxWorkers: 2,
  },
});
