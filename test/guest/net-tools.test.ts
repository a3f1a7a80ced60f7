/**
 * The guest console's ping, nc and curl: real exchanges through the vNIC, so the distributed
 * firewall decides what they print; bad arguments change nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildLab } from '../../workers/lab/presets/build-lab';
import type { LabApi } from '../../workers/lab/lab-api';
import { parseNetTool } from '../../workers/guest/net-tools';
import { boot } from '../scenario/helpers';

const DEFAULT_RULE = '/api/4.0/firewall/globalroot-0/config/layer3sections/1003/rules/1001';

/** Sets the default rule's action (it publishes at once, as a REST rule update does). */
async function defaultRule(api: LabApi, action: 'deny' | 'reject'): Promise<void> {
  const got = await api.rest({ method: 'GET', path: DEFAULT_RULE });
  const put = await api.rest({ method: 'PUT', path: DEFAULT_RULE, headers: { 'Content-Type': 'application/xml', 'If-Match': got.headers.ETag ?? got.headers.etag }, body: got.body.replace(/<action>\w+<\/action>/, `<action>${action}</action>`) });
  expect(put.status).toBe(200);
  await api.wait(1);
}

let api: LabApi;
afterEach(() => api?.lab.dispose());

describe('guest network tools', () => {
  it('print what the real tools print when the firewall allows the exchange', async () => {
    api = await boot(buildLab());
    const g = (cmd: string) => api.guest('web-sv-01a', cmd);
    expect(await g('nc -zv db-sv-01a 3306')).toBe('Connection to db-sv-01a 3306 port [tcp/mysql] succeeded!');
    expect(await g('nc -zv 172.16.30.11 80')).toBe('nc: connect to 172.16.30.11 port 80 (tcp) failed: Connection refused');
    expect(await g('nc -z db-sv-01a 80')).toBe('');
    const ping = await g('ping -c 2 db-sv-01a');
    expect(ping).toMatch(/^PING db-sv-01a \(172\.16\.30\.11\) 56\(84\) bytes of data\.\n64 bytes from db-sv-01a \(172\.16\.30\.11\): icmp_seq=1 ttl=63 time=[\d.]+ ms\n64 bytes from .*icmp_seq=2 ttl=63/);
    expect(ping).toContain('2 packets transmitted, 2 received, 0% packet loss');
    // Same logical switch, no router in between: the TTL arrives untouched.
    expect(await g('ping -c 1 web-sv-01b')).toMatch(/icmp_seq=1 ttl=64 /);
    expect(await g('curl http://web-sv-01b/')).toBe('<html><body><h1>web-sv-01b</h1><p>Served on port 80.</p></body></html>');
    expect(await g('curl -I web-sv-01b.corp.local')).toMatch(/^HTTP\/1\.1 200 OK\nServer: nginx\/1\.14\.0 \(Ubuntu\)\nContent-Type: text\/html\nContent-Length: \d+\nConnection: close$/);
    expect(await g('curl -v http://web-sv-01b/missing')).toMatch(/\* Connected to web-sv-01b \(172\.16\.10\.12\) port 80 \(#0\)\n> GET \/missing HTTP\/1\.1\n> Host: web-sv-01b\n[\s\S]*< HTTP\/1\.1 404 Not Found\n/);
    expect(await g('curl db-sv-01a:3306')).toBe('curl: (1) Received HTTP/0.9 when not allowed');
    expect(await g('curl db-sv-01a')).toBe('curl: (7) Failed to connect to db-sv-01a port 80: Connection refused');
  });

  it('time out when the firewall drops, and are refused when it rejects', async () => {
    api = await boot(buildLab());
    const g = (cmd: string) => api.guest('web-sv-01a', cmd);
    await defaultRule(api, 'deny');
    // A timeout the learner gave the tool is waited out on the lab clock (a paused clock would
    // otherwise show a 5 s wait that took no time); without one the tool answers at once.
    const waited = async (cmd: string) => {
      const before = api.lab.now;
      const out = await g(cmd);
      return { out, ms: api.lab.now - before };
    };
    expect(await waited('nc -zv db-sv-01a 3306')).toEqual({ out: 'nc: connect to 172.16.30.11 port 3306 (tcp) failed: Connection timed out', ms: 0 });
    expect(await waited('nc -zv -w 3 db-sv-01a 3306')).toEqual({ out: 'nc: connect to 172.16.30.11 port 3306 (tcp) timed out: Operation now in progress', ms: 3000 });
    expect(await waited('curl web-sv-01b')).toEqual({ out: 'curl: (7) Failed to connect to web-sv-01b port 80: Connection timed out', ms: 0 });
    expect(await waited('curl -m 5 web-sv-01b')).toEqual({ out: 'curl: (28) Connection timed out after 5001 milliseconds', ms: 5000 });
    const ping = await g('ping -c 3 db-sv-01a');
    expect(ping).not.toContain('64 bytes from');
    expect(ping).toContain('3 packets transmitted, 0 received, 100% packet loss');
    // The probe the tool sent is in the firewall's hands like any other: the default rule dropped it.
    const probe = await api.probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
    expect([probe.verdict, probe.ruleId]).toEqual(['dropped', 1001]);

    await defaultRule(api, 'reject');
    expect(await waited('nc -zv -w 3 db-sv-01a 3306')).toEqual({ out: 'nc: connect to 172.16.30.11 port 3306 (tcp) failed: Connection refused', ms: 0 });
    expect(await waited('curl -m 5 web-sv-01b')).toEqual({ out: 'curl: (7) Failed to connect to web-sv-01b port 80: Connection refused', ms: 0 });
    expect(await g('curl web-sv-01b')).toBe('curl: (7) Failed to connect to web-sv-01b port 80: Connection refused');
  });

  it('check their arguments before sending anything: a bad line leaves the lab as it was', async () => {
    api = await boot(buildLab());
    expect(await api.guest('web-sv-01a', 'hostname')).toBe('web-sv-01a');
    const before = api.lab.events.length;
    const probes = api.lab.newProbeId();
    const bad: [string, RegExp][] = [
      ['nc', /^usage: nc \[-46CDdFhklNnrStUuvZz\]/],
      ['nc db-sv-01a', /^nc: missing port number$/],
      ['nc -zv db-sv-01a 70000', /^nc: port number invalid: 70000$/],
      ['nc -zv db-sv-01a 25-20', /^nc: port range not valid: 25-20$/],
      ['nc -zq db-sv-01a 22', /^nc: invalid option -- 'q'\nusage: nc/],
      ['nc -zv -w x db-sv-01a 22', /^nc: timeout is invalid: x$/],
      ['ping', /^Usage: ping /],
      ['ping -c', /^ping: option requires an argument -- 'c'/],
      ['ping -c 0 db-sv-01a', /^ping: invalid argument: '0': out of range/],
      ['curl', /^curl: no URL specified!\ncurl: try 'curl --help'/],
      ['curl ftp://db-sv-01a/', /^curl: \(1\) Protocol "ftp" not supported or disabled in libcurl$/],
      ['curl http://db-sv-01a:99999/', /^curl: \(3\) Port number out of range$/],
      ['curl --bogus web-sv-01b', /^curl: option --bogus: is unknown/],
      ['ping no-such-vm', /^ping: no-such-vm: Name or service not known$/],
      ['nc -zv no-such-vm 22', /^nc: getaddrinfo for host "no-such-vm" port 22: Name or service not known$/],
      ['curl no-such-vm', /^curl: \(6\) Could not resolve host: no-such-vm$/],
    ];
    for (const [cmd, want] of bad) expect(await api.guest('web-sv-01a', cmd), cmd).toMatch(want);
    expect(api.lab.events.length).toBe(before);
    expect(api.lab.newProbeId()).toBe(probes + 1);
  });

  it('leave other commands to the shell', () => {
    expect(parseNetTool('ip addr')).toBeNull();
    expect(parseNetTool('pings db')).toBeNull();
    expect(parseNetTool('nc -zvw3 db-sv-01a 22')).toEqual({ ok: true, cmd: { tool: 'nc', host: 'db-sv-01a', ports: [22], udp: false, scan: true, verbose: true, wait: 3 } });
  });
});
