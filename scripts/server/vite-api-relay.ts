/**
 * `vite preview` (what `npm start` and the end-to-end suite serve) with the terminal's API:
 * `/api/…` on the preview server is relayed to the tab that has the lab open.
 */
import type { Plugin } from 'vite';
import { ApiRelay } from './api-relay.ts';

export function apiRelay(): Plugin {
  return {
    name: 'dfw-lab-api-relay',
    configurePreviewServer(server) {
      const relay = new ApiRelay();
      relay.attach(server.httpServer as import('node:http').Server);
      server.middlewares.use(relay.middleware);
      server.httpServer.once('close', () => relay.close());
    },
  };
}
