/**
 * The page side of `/api/*`: the service worker hands us a request and a port; we run it on
 * the open lab through `LabApi.rest` and send the answer back. A lab whose NSX Manager is not
 * running (or not answering) gets a 503 with a plain explanation instead of a hung request.
 */
import type { LabApi } from '../../workers/lab/lab-api';
import { API_STARTED, type ApiReply, type ApiRequestMessage, isApiRequest, textReply, timeoutReply } from './api-protocol';

/**
 * Keeps what a write changed before it is answered, so a reload or a closed tab right after the
 * answer keeps it (Workspace.keepAnswered: a journal of the lab's actions at once, the save soon).
 */
type KeepWrite = () => Promise<void>;

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function runApiRequest(api: LabApi | null, request: import('../../workers/lab/lab-api').RestRequest, keepWrite?: KeepWrite): Promise<ApiReply> {
  if (!api) return textReply(503, 'DFW Lab: the lab in this tab is not running (still starting, or it failed to open).\n');
  try {
    const r = await api.rest(request);
    // Kept before answering: a reload or a closed tab right after a 201 must not lose the change.
    if (keepWrite && r.status < 400 && !READS.has(request.method.toUpperCase())) await keepWrite().catch(() => undefined);
    return { status: r.status, headers: r.headers ?? {}, body: r.body ?? '' };
  } catch (err) {
    return textReply(503, `DFW Lab: NSX Manager did not answer in this lab (${(err as Error).message}).\n`);
  }
}

/**
 * Runs a request only if its deadline has not passed, telling the service worker first that it
 * started: past the deadline the service worker has answered "not run", so running it then
 * would apply a change the caller was told failed.
 */
export function answerBeforeDeadline(message: ApiRequestMessage, port: Pick<MessagePort, 'postMessage'>, getApi: () => LabApi | null, now: number, keepWrite?: KeepWrite): Promise<ApiReply> {
  if (typeof message.deadline === 'number' && now > message.deadline) return Promise.resolve(timeoutReply(false));
  port.postMessage({ type: API_STARTED });
  return runApiRequest(getApi(), message.request, keepWrite);
}

/** Listens for requests from the service worker; returns a function that stops listening. */
export function startApiBridge(getApi: () => LabApi | null, keepWrite?: KeepWrite): () => void {
  const sw = navigator.serviceWorker;
  if (!sw) return () => {};
  const onMessage = (event: MessageEvent) => {
    const port = event.ports[0];
    if (!isApiRequest(event.data) || !port) return;
    void answerBeforeDeadline(event.data, port, getApi, Date.now(), keepWrite).then((reply) => port.postMessage(reply));
  };
  sw.addEventListener('message', onMessage);
  sw.startMessages(); // messages sent before this point were queued for us
  return () => sw.removeEventListener('message', onMessage);
}
