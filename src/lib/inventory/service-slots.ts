/**
 * The slot 4 filters a host's `summarize-dvfilter` lists: a partner service's `serviceinstance`
 * filter on each protected vNIC of a host where the service is deployed. The object tabs read
 * them from the host, as an operator would, rather than guess from NSX Manager's deployments.
 */
interface ServiceSlot {
  /** `nic-<world>-eth<n>-serviceinstance-1.4`. */
  name: string;
  agent: string;
  failurePolicy: string;
  /** `Attached` while the service VM answers, `Detached` while it is off. */
  vmState: string;
}

/** Slot 4 of every vNIC in the listing, keyed `<worldId>/eth<n>`. */
export function serviceSlots(summary: string): Map<string, ServiceSlot> {
  const out = new Map<string, ServiceSlot>();
  let world = '';
  let port = '';
  const lines = summary.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const w = /^world (\d+) /.exec(line);
    if (w) [world, port] = [w[1]!, ''];
    const p = /^ port \d+ \S+\.(eth\d+)$/.exec(line);
    if (p) port = p[1]!;
    if (line !== '  vNic slot 4' || !world || !port) continue;
    const field = (key: string) => {
      for (let j = i + 1; j < lines.length && lines[j]!.startsWith('   '); j++) {
        const m = new RegExp(`^ {3}${key}: (.*)$`).exec(lines[j]!);
        if (m) return m[1]!;
      }
      return '';
    };
    out.set(`${world}/${port}`, { name: field('name'), agent: field('agentName'), failurePolicy: field('failurePolicy'), vmState: field('vmState') });
  }
  return out;
}
