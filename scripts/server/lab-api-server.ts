/**
 * The API of a lab running in this Node process (`npm run lab -- --serve`): the same paths,
 * basic authentication, NSX error shapes and waits as the relay to a tab (30 s, or RFC 7240's
 * `Prefer: wait=N` said back in `Preference-Applied`), answered by the lab directly.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { LabApi } from '../../workers/lab/lab-api';
import { type ApiAccounts, auditLogin, checkAccess, DEFAULT_ACCOUNTS, withoutCredentials } from '../../src/pwa/api-auth';
import { runApiRequest } from '../../src/pwa/api-bridge';
import type { ApiReply } from '../../src/pwa/api-protocol';
import { inTurnWithin } from './in-turn';
import { isApiPath, isLocalHost, notLocalReply, readRestRequest, tooLargeReply, writeRestResponse } from './http-api';

export interface LabServerOptions {
  accounts?: ApiAccounts;
  /** Each answered request, for the console. */
  onExchange?(line: string): void;
}

async function answer(api: LabApi, req: IncomingMessage, accounts: ApiAccounts): Promise<ApiReply> {
  if (!isLocalHost(req.headers.host)) return notLocalReply();
  const request = await readRestRequest(req);
  if ('tooLarge' in request) return tooLargeReply();
  const access = checkAccess(request, accounts);
  await auditLogin(api, request, access);
  if (!access.ok) return access.reply;
  return runApiRequest(api, withoutCredentials(request));
}

export function labApiServer(api: LabApi, opts: LabServerOptions = {}): Server {
  const accounts = opts.accounts ?? DEFAULT_ACCOUNTS;
  // One request at a time, in arrival order, as in the tab.
  let queue = Promise.resolve();
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!isApiPath(req.url)) {
      writeRestResponse(res, { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'This headless lab serves the NSX API under /api/ only (the app is served by npm start).\n' });
      return;
    }
    const prefer = req.headers.prefer;
    const { reply, ended } = inTurnWithin(queue, Array.isArray(prefer) ? prefer.join(', ') : prefer, () => answer(api, req, accounts));
    queue = ended;
    reply.then(
      (r) => {
        writeRestResponse(res, r);
        opts.onExchange?.(`${req.method} ${req.url} → ${r.status}`);
      },
      () => void res.destroy(), // the caller went away mid-request: nothing to answer
    );
  });
}
