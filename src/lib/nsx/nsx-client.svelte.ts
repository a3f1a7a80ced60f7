/**
 * The screens' only way to NSX Manager: its REST API through `api.rest()`, as the vSphere Web
 * Client plug-in talks to the manager. Tracks whether the manager answers at all, so screens
 * can show "not reachable" and offer a retry instead of failing one by one.
 */
import type { RestRequest, RestResponse } from '../../../workers/lab/lab-api';
import type { LabSession } from '../lab-session.svelte';
import type { XmlObject } from './xml';
import type * as ObjectsXml from './objects-xml';

/** The XML parser, loaded with the first answer a screen reads (it is not in the first screen's JavaScript). */
const xmlParser = () => import('./xml-parser');
/** The NSX codec's readers and writers of grouping objects, SpoofGuard and saved configurations, loaded likewise. */
export const objectsXml = (): Promise<typeof ObjectsXml> => import('./objects-xml');

/** The manager answered with a 4xx/5xx; `details` is its error body's `<details>` (xml-parser.ts errorDetails). */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    details: string,
  ) {
    super(`${status}: ${details || 'no details'}`);
  }
}

/** The request never reached an answering manager. */
export class ManagerUnreachable extends Error {}

export class NsxClient {
  reachable = $state<'unknown' | 'yes' | 'no'>('unknown');
  reason = $state('');
  /** Bumped after every successful write, so screens reload what they show. */
  revision = $state(0);

  /** Only the session's running lab is used (tests hand a lab API alone). */
  constructor(private readonly session: Pick<LabSession, 'api'>) {}

  /** Sends a request and returns any HTTP answer; throws ManagerUnreachable when there is none. */
  async send(req: RestRequest): Promise<RestResponse> {
    const api = this.session.api;
    if (!api) throw new ManagerUnreachable('the lab is not running');
    try {
      const res = await api.rest(req);
      this.reachable = 'yes';
      this.reason = '';
      if (req.method.toUpperCase() !== 'GET' && res.status < 400) this.revision++;
      return res;
    } catch (err) {
      this.reachable = 'no';
      this.reason = (err as Error).message;
      throw new ManagerUnreachable(this.reason);
    }
  }

  /** A request that must succeed (2xx), else RestError. */
  async call(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<RestResponse> {
    const h = body ? { 'Content-Type': 'application/xml', ...headers } : headers;
    const res = await this.send({ method, path, headers: h, body });
    if (res.status >= 400) throw new RestError(res.status, res.body, (await xmlParser()).errorDetails(res.body));
    return res;
  }

  /** GET; `etag` is the ETag header when the manager sent one. */
  async getText(path: string): Promise<{ body: string; etag: string }> {
    const res = await this.call('GET', path);
    const etag = Object.entries(res.headers).find(([k]) => k.toLowerCase() === 'etag')?.[1] ?? '';
    return { body: res.body, etag };
  }

  /** GET and parse into plain objects (xml.ts reads them). */
  async getXml(path: string): Promise<{ doc: XmlObject; etag: string; body: string }> {
    const { body, etag } = await this.getText(path);
    return { doc: body.trim().startsWith('<') ? (await xmlParser()).parseXml(body) : {}, etag, body };
  }

  /** GET decoded by the NSX codec: `pick` chooses the reader (`(x) => x.readDrafts`). */
  async read<T>(path: string, pick: (codec: typeof ObjectsXml) => (body: string) => T): Promise<T> {
    const [{ body }, codec] = await Promise.all([this.getText(path), objectsXml()]);
    return pick(codec)(body);
  }

  /** Asks again after the learner pressed Retry. */
  async probe(): Promise<boolean> {
    try {
      await this.send({ method: 'GET', path: '/api/4.0/firewall/globalroot-0/status' });
      return true;
    } catch {
      return false;
    }
  }
}

