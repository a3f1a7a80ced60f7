/**
 * `iptables` typed in a bridging firewall VM's console: its FORWARD chain lives with the bridge
 * in the fabric, which applies it to every bridged frame. Null when the VM is no bridge (the
 * line then goes to the guest's own shell).
 */
import { applyIptables, listBridgeRules, parseIptables, type BridgeRule } from '../fabric/bridge/bridge-rules';
import type { BridgeRulesReply } from '../protocol/messages/fabric';

type Ask = (body: { vm: string; rules?: BridgeRule[] }) => Promise<BridgeRulesReply>;

export async function runBridgeIptables(vm: string, line: string, ask: Ask): Promise<string | null> {
  if (!/^iptables(\s|$)/.test(line.trim())) return null;
  const current = await ask({ vm });
  if (!current.ok) return null;
  const cmd = parseIptables(line);
  if (typeof cmd === 'string') return cmd;
  if (cmd.op === 'list') return listBridgeRules(current.rules!);
  const next = applyIptables(current.rules!, cmd);
  if (typeof next === 'string') return next;
  await ask({ vm, rules: next });
  return '';
}
