/** vsfwd's JSON state, part of the host's snapshot. */
import { initialFlows, type FlowTableState } from './flow-table';
import { initialThresholds, type ThresholdMonitorState } from './threshold-monitor';

type ServiceState = 'running' | 'stopped' | 'crashed';

export interface VsfwdState {
  service: ServiceState;
  pid: number;
  /** Bumped at every start: timers of an earlier run of the process are ignored. */
  incarnation: number;
  booted: boolean;
  connection: { state: 'closed' | 'connecting' | 'established'; localPort?: number; brokerIp?: string; since?: number };
  applied: { generation: number; rulesets: string[]; at: number } | null;
  /** vsipfw_ruleset.dat: the last applied RuleSet as received (protobuf, base64). */
  rulesetFile: string | null;
  scopedRuleIds: number[];
  lastHeartbeat: { seq: number; at: number } | null;
  heartbeatLost: boolean;
  thresholds: ThresholdMonitorState;
  flows: FlowTableState;
  lastLive: number;
  log: string[];
  /** The discovered addresses last reported to the manager, to report only changes. */
  reportedBindings?: string;
  /** The DFW heap was exhausted at the last sample (absent = no). */
  heapExhausted?: boolean;
  /** Flow monitoring settings NSX Manager pushed (absent = collect everything, the lab's default). */
  flowConfig?: { collectFlows: boolean; ignoreBlockedFlows: boolean; ignoreLayer2Flows: boolean };
}

export function initialVsfwd(now: number): VsfwdState {
  return {
    service: 'running', pid: 0, incarnation: 0, booted: false, connection: { state: 'closed' }, applied: null, rulesetFile: null, scopedRuleIds: [],
    lastHeartbeat: null, heartbeatLost: false, thresholds: initialThresholds(), flows: initialFlows(now), lastLive: now, log: [],
  };
}
