import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { type Plugin, defineConfig, runnerImport } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { apiRelay } from './scripts/server/vite-api-relay.ts';

/**
 * `virtual:settled-classroom`: the classroom lab after its boot waves (scripts/settled-classroom.ts),
 * computed from the components' code at build time, so the first lab never boots from a stale copy.
 */
function settledClassroom(): Plugin {
  const id = 'virtual:settled-classroom';
  let code: Promise<string> | undefined;
  const compute = async () => {
    const { module } = await runnerImport<{ settledDocument: unknown }>('./scripts/settled-classroom.ts', { configFile: false, logLevel: 'error' });
    // JSON.parse of a string literal parses faster than the same object as JavaScript.
    return `export default JSON.parse(${JSON.stringify(JSON.stringify(module.settledDocument))});`;
  };
  return {
    name: 'dfw-settled-classroom',
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load: (resolved) => (resolved === `\0${id}` ? (code ??= compute()) : undefined),
  };
}

const appEntry = fileURLToPath(new URL('./src/main.ts', import.meta.url));

/**
 * Every module the app's entry imports statically, found once per build: the first screen
 * needs all of them, so they go in one chunk (one request through the service worker on a
 * warm load, not two dozen), and the screens loaded later import them from it.
 */
function firstScreenModules(getModuleInfo: (id: string) => { importedIds: readonly string[] } | null): Set<string> {
  const seen = new Set<string>();
  const walk = [appEntry];
  for (let id = walk.pop(); id !== undefined; id = walk.pop()) {
    if (seen.has(id)) continue;
    seen.add(id);
    walk.push(...(getModuleInfo(id)?.importedIds ?? []));
  }
  return seen;
}
/** Per chunking pass (each build has its own), so a second build in the same process starts afresh. */
const firstScreenByPass = new WeakMap<object, Set<string>>();

export default defineConfig({
  plugins: [
    svelte(),
    settledClassroom(),
    // issue 19: curl and scripts reach the lab in the tab through `vite preview` (npm start).
    apiRelay(),
    // Installable and offline (issue 8). Our own service worker (src/pwa/sw.ts) precaches the
    // build and also answers the lab's REST API under /api/, which generateSW cannot do.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/pwa',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: 'DFW Lab',
        short_name: 'DFW Lab',
        description: 'An offline sandbox of a VMware NSX distributed firewall datacenter',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f6f7f9',
        theme_color: '#0b6bcb',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      injectManifest: {
        // Everything the app needs offline: JS (worker chunks too), CSS, HTML, icons, scenario files.
        globPatterns: ['**/*.{js,css,html,svg,png,ico,json,webmanifest,woff2}'],
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
  worker: {
    format: 'es',
    // The per-unit entries (workers/*.worker.ts) bundle their components' code on purpose, so
    // the registry's dynamic imports of that code resolve inside the entry: not a mistake to flag.
    rolldownOptions: { checks: { ineffectiveDynamicImport: false } },
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              name: (id, ctx) => {
                let modules = firstScreenByPass.get(ctx);
                if (!modules) firstScreenByPass.set(ctx, (modules = firstScreenModules((m) => ctx.getModuleInfo(m))));
                return modules.has(id) ? 'first-screen' : null;
              },
            },
          ],
        },
      },
    },
  },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
});
