/**
 * DFW resource thresholds on a host: CPU, memory and connections per second, sampled every
 * 10 s; an alarm when one is crossed 20 consecutive times within 200 s (NSX-V admin guide).
 * CPU and memory come from the host's resource model (resource-model.ts); connections per
 * second are counted, plus the modelled load of the VMs it runs.
 */
export const SAMPLE_INTERVAL_MS = 10_000;
const ALARM_SAMPLES = 20;
const ALARM_WINDOW_MS = 200_000;

type ThresholdName = 'cpu' | 'memory' | 'cps';
export const THRESHOLD_NAMES: ThresholdName[] = ['cpu', 'memory', 'cps'];
export const THRESHOLD_LABELS: Record<ThresholdName, string> = { cpu: 'CPU', memory: 'memory', cps: 'connections per second' };

interface ThresholdConfigState {
  cpu: number;
  memory: number;
  cps: number;
}

export interface ThresholdMonitorState {
  config: ThresholdConfigState;
  /** Per threshold: consecutive crossings and when the run started. */
  runs: Record<ThresholdName, { count: number; since: number }>;
  /** Counted since the last sample. */
  packets: number;
  connections: number;
  last: Record<ThresholdName, number> | null;
}

export function initialThresholds(): ThresholdMonitorState {
  return {
    config: { cpu: 100, memory: 100, cps: 100_000 },
    runs: { cpu: { count: 0, since: 0 }, memory: { count: 0, since: 0 }, cps: { count: 0, since: 0 } },
    packets: 0,
    connections: 0,
    last: null,
  };
}

export interface Sample {
  name: ThresholdName;
  value: number;
  threshold: number;
  consecutive: number;
  alarm: boolean;
}

/** Packets and new connections per second counted since the last sample; resets the counts. */
export function takeRates(s: ThresholdMonitorState): { packetsPerSecond: number; connectionsPerSecond: number } {
  const seconds = SAMPLE_INTERVAL_MS / 1000;
  const rates = { packetsPerSecond: s.packets / seconds, connectionsPerSecond: s.connections / seconds };
  s.packets = 0;
  s.connections = 0;
  return rates;
}

/** Takes one sample of the measured values: crossing runs and which thresholds raise an alarm now. */
export function sample(s: ThresholdMonitorState, now: number, measured: { cpu: number; memory: number; cps: number }): Sample[] {
  const values: Record<ThresholdName, number> = { cpu: round(measured.cpu), memory: round(measured.memory), cps: round(measured.cps) };
  s.last = values;
  return THRESHOLD_NAMES.map((name) => {
    const run = s.runs[name];
    const crossed = values[name] > s.config[name];
    if (!crossed) run.count = 0;
    else {
      if (run.count === 0) run.since = now;
      run.count++;
    }
    const alarm = run.count >= ALARM_SAMPLES && now - run.since <= ALARM_WINDOW_MS;
    const consecutive = run.count;
    if (alarm) run.count = 0; // the next alarm needs another full run
    return { name, value: values[name], threshold: s.config[name], consecutive, alarm };
  });
}

const round = (x: number) => Math.round(x * 100) / 100;
