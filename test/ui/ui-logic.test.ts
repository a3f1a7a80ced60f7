/** UI logic that needs no DOM: shortcuts, undo/redo, the console line, curl, firewall XML, trace readings, topology paths. */
import { describe, expect, it } from 'vitest';
import { chordOf, displayKeys, SequenceMatcher } from '../../src/lib/keys';
import { UndoStack } from '../../src/lib/undo';
import { commandsFromHelp, complete, LineEditor } from '../../src/lib/console/line-editor';
import { parseHeaderLines, toCurl } from '../../src/lib/curl';
import { blankRule } from '../../src/lib/nsx/firewall-model';
import { configXml, readConfig } from '../../src/lib/nsx/firewall-xml';
import { formatXml, parseXml } from '../../src/lib/nsx/xml-parser';
import { readStatus } from '../../src/lib/nsx/publish-status';
import { explainRecord, explainVerdict } from '../../src/lib/trace-explain';
import { nodeOfRecord, probePath } from '../../src/lib/topology';
import type { ProbeResult } from '../../workers/lab/lab-api';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe('keyboard shortcuts', () => {
  it('names chords the way commands declare them', () => {
    expect(chordOf(key('z', { ctrlKey: true }))).toBe('mod+z');
    expect(chordOf(key('Z', { metaKey: true, shiftKey: true }))).toBe('mod+shift+z');
    expect(chordOf(key('?', { shiftKey: true }))).toBe('?');
    expect(chordOf(key('G', { shiftKey: true }))).toBe('g');
    expect(displayKeys('mod+shift+z')).toBe('Ctrl+Shift+Z');
    expect(displayKeys('g f')).toBe('G then F');
  });

  it('matches two-key sequences and restarts on a wrong second key', () => {
    const m = new SequenceMatcher();
    const keys = ['g f', 'g i', '?'];
    expect(m.feed('g', keys)).toBe('');
    expect(m.feed('f', keys)).toBe('g f');
    expect(m.feed('g', keys)).toBe('');
    expect(m.feed('?', keys)).toBe('?');
    expect(m.feed('x', keys)).toBeUndefined();
  });
});

describe('undo / redo', () => {
  it('walks back and forth over snapshots and drops the redo branch on a new edit', () => {
    const u = new UndoStack<number>();
    u.record('add', 1);
    u.record('edit', 2);
    expect(u.undo(3)).toBe(2);
    expect(u.undoLabel).toBe('add');
    expect(u.redo(2)).toBe(3);
    expect(u.undo(3)).toBe(2);
    u.record('other', 2);
    expect(u.canRedo).toBe(false);
  });
});

describe('console line', () => {
  const cmds = ['esxcli network vm list', 'hostname', 'help'];
  it('completes a unique prefix, extends a common one, lists the rest', () => {
    expect(complete('esxcli n', cmds)).toEqual({ line: 'esxcli network vm list ', options: [] });
    expect(complete('h', cmds)).toEqual({ line: 'h', options: ['hostname', 'help'] });
    expect(complete('ho', cmds).line).toBe('hostname ');
    expect(complete('zz', cmds).options).toEqual([]);
  });

  it('reads the command list from help and keeps a history', () => {
    expect(commandsFromHelp('commands: ip addr, hostname, help')).toEqual(['ip addr', 'hostname', 'help']);
    const e = new LineEditor();
    e.insert('hostname');
    e.submit();
    e.insert('ip a');
    e.left();
    e.insert('x');
    expect(e.line).toBe('ip xa');
    expect(e.up()).toBe(true);
    expect(e.line).toBe('hostname');
    expect(e.down()).toBe(true);
    expect(e.line).toBe('ip xa');
  });
});

describe('REST helpers', () => {
  it('writes curl without credentials and with quoted bodies', () => {
    const c = toCurl({ method: 'put', path: '/api/2.1/app/excludelist/vm-11', headers: { 'If-Match': '17' }, body: "<a>it's</a>" });
    expect(c).toContain("curl -k -u admin -X PUT 'https://192.168.110.15/api/2.1/app/excludelist/vm-11'");
    expect(c).toContain("-H 'If-Match: 17'");
    expect(c).toContain(`--data-binary '<a>it'\\''s</a>'`);
    expect(parseHeaderLines('If-Match: 1\nbad\nAccept: application/xml')).toEqual({ 'If-Match': '1', Accept: 'application/xml' });
  });

  it('pretty-prints XML and leaves other text alone', () => {
    expect(formatXml('<a><b x="1">t</b></a>')).toBe('<a>\n  <b x="1">t</b>\n</a>');
    expect(formatXml('plain')).toBe('plain');
  });
});

const CONFIG = `<firewallConfiguration timestamp="5"><contextId>globalroot-0</contextId><layer3Sections>
<section id="1003" name="Default Section Layer3" generationNumber="5" timestamp="5" tcpStrict="false" stateless="false" useSid="false" type="LAYER3">
<rule id="1005" disabled="false" logged="true"><name>Block</name><action>deny</action><appliedToList><appliedTo><name>DISTRIBUTED_FIREWALL</name><value>DISTRIBUTED_FIREWALL</value><type>DISTRIBUTED_FIREWALL</type><isValid>true</isValid></appliedTo></appliedToList><sectionId>1003</sectionId>
<sources excluded="true"><source><name>web-sv-01a</name><value>vm-36</value><type>VirtualMachine</type></source></sources>
<services><service><isValid>true</isValid><destinationPort>3306</destinationPort><protocol>6</protocol><subProtocol>6</subProtocol><protocolName>TCP</protocolName></service></services><direction>inout</direction><packetType>any</packetType></rule>
<rule id="1001" disabled="false" logged="false"><name>Default Rule</name><action>allow</action><appliedToList><appliedTo><name>DISTRIBUTED_FIREWALL</name><value>DISTRIBUTED_FIREWALL</value><type>DISTRIBUTED_FIREWALL</type></appliedTo></appliedToList><precedence>default</precedence><direction>inout</direction><packetType>any</packetType></rule>
</section></layer3Sections><layer2Sections/><generationNumber>5</generationNumber></firewallConfiguration>`;

describe('firewall XML', () => {
  it('reads sections and rules and writes back what it read', () => {
    const c = readConfig(CONFIG);
    expect(c.generationNumber).toBe(5);
    const [block, def] = c.layer3Sections[0].rules;
    expect(block).toMatchObject({ id: 1005, action: 'deny', logged: true, appliedTo: [] });
    expect(block.sources).toEqual({ excluded: true, members: [{ value: 'vm-36', type: 'VirtualMachine', name: 'web-sv-01a' }] });
    expect(block.services).toEqual([{ kind: 'raw', protocol: 6, destinationPort: '3306', subProtocol: 6 }]);
    expect(def.isDefault).toBe(true);
    expect(readConfig(configXml(c))).toEqual(c);
  });

  it('leaves the id out of new rules and sections, and escapes text', () => {
    const section = { id: -2, name: 'mine', type: 'LAYER3' as const, generationNumber: 0, timestamp: 0, tcpStrict: false, stateless: false, useSid: false, rules: [{ ...blankRule(-1), name: 'a<b' }] };
    const xml = configXml({ contextId: 'globalroot-0', generationNumber: 5, timestamp: 0, layer3Sections: [section], layer2Sections: [] });
    expect(xml).toMatch(/<section name="mine" [^>]*><rule disabled="false" logged="false"><name>a&lt;b<\/name>/);
    expect(xml).not.toContain('sectionId');
    expect(xml).not.toContain('layer3RedirectSections');
  });

  it('reads publish status per host', () => {
    const doc = parseXml('<firewallStatus><status>inprogress</status><generationNumber>9</generationNumber><clusterList><clusterStatus><clusterId>domain-c7</clusterId><status>inprogress</status><hostStatusList><hostStatus><hostId>host-10</hostId><hostName>esxmgt-01a</hostName><status>inprogress</status><generationNumber>8</generationNumber></hostStatus></hostStatusList></clusterStatus></clusterList></firewallStatus>');
    const s = readStatus(doc);
    expect(s.hosts).toEqual([{ hostId: 'host-10', hostName: 'esxmgt-01a', clusterId: 'domain-c7', status: 'inprogress', generationNumber: 8, errorCode: 0 }]);
  });
});

const dropped: ProbeResult = {
  probe: 1,
  spec: { from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 },
  dstIp: '172.16.30.11',
  verdict: 'dropped',
  by: 'rule',
  ruleId: 1005,
  detail: 'DROP at db-sv-01a vNIC eth0 (in) slot 2: match',
  trace: [
    { component: 'host-20', hop: 'web-sv-01a guest', place: 'guest', vm: 'web-sv-01a', action: 'INJECTED', packet: 'ARP who-has 172.16.10.1 tell 172.16.10.11', packetKind: 'arp' },
    { component: 'host-20', hop: 'web-sv-01a guest', place: 'guest', vm: 'web-sv-01a', action: 'INJECTED', packet: 'TCP a → b [S]', packetKind: 'ip' },
    { component: 'fabric', hop: 'DLR', place: 'router', action: 'FORWARDED', packet: 'TCP a → b [S]', packetKind: 'ip' },
    { component: 'fabric', hop: 'VXLAN', place: 'vxlan', action: 'FORWARDED', packet: 'TCP a → b [S]', packetKind: 'ip' },
    { component: 'fabric', hop: 'DB-LS', place: 'switch', network: 'DB-LS', action: 'FORWARDED', packet: 'TCP a → b [S]', packetKind: 'ip' },
    { component: 'host-30', hop: 'db-sv-01a vNIC eth0 (in)', place: 'vnic', vm: 'db-sv-01a', action: 'DROP', packet: 'TCP a → b [S]', packetKind: 'ip', slot: 2, table: 'rule', ruleId: 1005, reason: 'match' },
  ],
};

describe('trace readings', () => {
  const info = (id: number) => (id === 1005 ? { name: 'Block web to db', section: 'Apps' } : id === 1001 ? { name: 'Default Rule', section: 'Default Section Layer3' } : undefined);
  it('names the rule that dropped and where', () => {
    expect(explainVerdict(dropped, info)).toContain('rule 1005 “Block web to db” (section “Apps”)');
    expect(explainRecord(dropped.trace[5], info)).toContain('matched first');
    expect(explainRecord({ ...dropped.trace[5], ruleId: 1001 }, info)).toContain('default rule');
    expect(explainRecord({ ...dropped.trace[5], table: 'swsec', slot: 1, reason: 'SpoofGuard' })).toContain('SpoofGuard');
    expect(explainRecord({ ...dropped.trace[5], action: 'PASS', table: 'state' })).toContain('connection tracker');
    const alg = explainRecord({ ...dropped.trace[5], action: 'PASS', table: 'state', detail: 'ALG expectation (FTP): the data connection announced on the control session' }, info);
    expect(alg).toContain('application-level gateway expected it. ALG expectation (FTP)');
    expect(alg).toContain('rule 1005 “Block web to db”');
  });

  it('follows the first packet over the topology and stops where it was dropped', () => {
    const names = new Set(['vm:web-sv-01a', 'vm:db-sv-01a', 'net:DB-LS', 'router']);
    expect(nodeOfRecord(dropped.trace[3], names)).toBeUndefined();
    // The display text is not read: a switch whose name looks like a VM's still maps to its network.
    expect(nodeOfRecord({ ...dropped.trace[4], hop: 'web-sv-01a guest' }, names)).toBe('net:DB-LS');
    const p = probePath(dropped, names);
    expect(p.steps).toEqual(['vm:web-sv-01a', 'router', 'net:DB-LS', 'vm:db-sv-01a']);
    expect(p.drop?.ruleId).toBe(1005);
    // The animation walks every observation, VXLAN included (no node of its own), ending at the drop.
    expect(p.hops.map((h) => [h.record.hop, h.node])).toEqual([
      ['web-sv-01a guest', 'vm:web-sv-01a'],
      ['DLR', 'router'],
      ['VXLAN', undefined],
      ['DB-LS', 'net:DB-LS'],
      ['db-sv-01a vNIC eth0 (in)', 'vm:db-sv-01a'],
    ]);
    expect(p.hops.at(-1)?.record.action).toBe('DROP');
  });
});
