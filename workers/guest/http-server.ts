/**
 * The web service a guest runs on its HTTP ports: a real HTTP/1.1 answer to a real request
 * (curl's), so a learner reads a status line and a page, not a token. Anything that is not
 * an HTTP request, or a port that is not a web port, gets no HTTP answer (null).
 */

/** Ports the lab's guests serve HTTP on (80 and 8080 plain; 443 and 8443 stand for their TLS services). */
const HTTP_PORTS: ReadonlySet<number> = new Set([80, 443, 8080, 8443]);

const REQUEST_LINE = /^(GET|HEAD|POST|PUT|DELETE|OPTIONS) (\S+) HTTP\/1\.[01]\r\n/;
const PAGES = new Set(['/', '/index.html']);

export function serveHttp(request: string, server: string, port: number): string | null {
  if (!HTTP_PORTS.has(port)) return null;
  const line = REQUEST_LINE.exec(request);
  if (!line) return null;
  const [, method, path] = line;
  const found = PAGES.has(path);
  const body = found
    ? `<html><body><h1>${server}</h1><p>Served on port ${port}.</p></body></html>\n`
    : `<html><body><h1>404 Not Found</h1><p>${escapeHtml(path)} is not on ${server}.</p></body></html>\n`;
  const head = [
    `HTTP/1.1 ${found ? '200 OK' : '404 Not Found'}`,
    'Server: nginx/1.14.0 (Ubuntu)',
    'Content-Type: text/html',
    `Content-Length: ${new TextEncoder().encode(body).length}`,
    'Connection: close',
  ].join('\r\n');
  return `${head}\r\n\r\n${method === 'HEAD' ? '' : body}`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
