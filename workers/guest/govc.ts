/**
 * `govc`, vSphere's command-line client, in a guest console (GOVC_URL points at vcsa-01a):
 * `vm.info`, `vm.change -cpu.limit/-cpu.reservation` and `vm.network.change`, the CLI side of
 * a VM's Edit Settings. Arguments are checked before vCenter is asked.
 */
export type Govc =
  | { cmd: 'vm.info'; vm: string }
  | { cmd: 'vm.change'; vm: string; cpuLimitMhz?: number | null; cpuReservationMhz?: number }
  | { cmd: 'vm.network.change'; vm: string; network: string; device: number };

const USAGE = 'Usage: govc <COMMAND> [COMMON OPTIONS] [PATH]...\n\nThis console runs: vm.info VM, vm.change -vm VM [-cpu.limit MHZ|-1] [-cpu.reservation MHZ], vm.network.change -vm VM -net NETWORK ethernet-0';

export function parseGovc(line: string): { ok: true; cmd: Govc } | { ok: false; text: string } | null {
  const w = line.trim().split(/\s+/);
  if (w[0] !== 'govc') return null;
  const sub = w[1];
  const flags = new Map<string, string>();
  const args: string[] = [];
  for (let i = 2; i < w.length; i++) {
    const m = /^--?([a-z.]+)(?:=(.*))?$/.exec(w[i]);
    if (!m) args.push(w[i]);
    else if (m[2] !== undefined) flags.set(m[1], m[2]);
    else if (w[i + 1] === undefined) return { ok: false, text: `flag needs an argument: -${m[1]}` };
    else flags.set(m[1], w[++i]);
  }
  const known = (allowed: string[]) => [...flags.keys()].find((f) => !allowed.includes(f));
  const mhz = (name: string, min: number): number | string | undefined => {
    const raw = flags.get(name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    return Number.isInteger(n) && n >= min ? n : `invalid value "${raw}" for flag -${name}: parse error`;
  };
  switch (sub) {
    case 'vm.info': {
      const bad = known([]);
      if (bad) return { ok: false, text: `flag provided but not defined: -${bad}` };
      if (args.length !== 1) return { ok: false, text: 'Usage: govc vm.info [OPTIONS] VM...' };
      return { ok: true, cmd: { cmd: 'vm.info', vm: args[0] } };
    }
    case 'vm.change': {
      const bad = known(['vm', 'cpu.limit', 'cpu.reservation']);
      if (bad) return { ok: false, text: `flag provided but not defined: -${bad}` };
      const vm = flags.get('vm');
      if (!vm) return { ok: false, text: 'govc: please specify a vm' };
      const limit = mhz('cpu.limit', -1);
      const reservation = mhz('cpu.reservation', 0);
      if (typeof limit === 'string') return { ok: false, text: limit };
      if (typeof reservation === 'string') return { ok: false, text: reservation };
      if (limit === 0) return { ok: false, text: 'govc: cpu.limit must be -1 (unlimited) or at least 1 MHz' };
      return { ok: true, cmd: { cmd: 'vm.change', vm, cpuLimitMhz: limit === -1 ? null : limit, cpuReservationMhz: reservation } };
    }
    case 'vm.network.change': {
      const bad = known(['vm', 'net']);
      if (bad) return { ok: false, text: `flag provided but not defined: -${bad}` };
      const vm = flags.get('vm');
      const net = flags.get('net');
      const device = /^ethernet-(\d+)$/.exec(args[0] ?? '');
      if (!vm || !net || !device || args.length !== 1) return { ok: false, text: 'Usage: govc vm.network.change [OPTIONS] DEVICE\n  -vm VM -net NETWORK ethernet-0' };
      return { ok: true, cmd: { cmd: 'vm.network.change', vm, network: net, device: Number(device[1]) } };
    }
    default:
      return { ok: false, text: sub === undefined ? USAGE : `govc: unknown command "${sub}"\n${USAGE}` };
  }
}
