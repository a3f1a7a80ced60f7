/**
 * DFW resource thresholds on a host: CPU, memory and connections per second, sampled every
 * 10 s; an alarm when one is crossed 20 consecutive times within 200 s (NSX-V admin guide).
 * CPU and memory are a model (the lab has no real load): a base cost plus a cost per packet
 * and per rule line / connection; connections per second are counted.
 */
export const SAMPLE_INTERVAL_MS = 10_000;
export const ALARM_SAMPLES = 20;
export const ALARM_WINDOW_MS = 200_000;

export type ThresholdName = 'cpu' | 'memory' | 'cps';
export const THRESHOLD_NAMES: ThresholdName[] = ['cpu', 'memory', 'cps'];
export const THRESHOLD_LABELS: Record<ThresholdName, string> = { cpu: 'CPU', memory: 'memory', cps: 'connections per second' };

export interface ThresholdConfigState {
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

/** Memory the DFW may use on a host with 8–32 GB of RAM ("total max size", NSX-V 6.3 docs). */
const TOTAL_MAX_BYTES = 608 * 1024 * 1024;

/** Takes one sample: values, crossing runs and which thresholds raise an alarm now. */
export function sample(s: ThresholdMonitorState, now: number, load: { ruleLines: number; connections: number }): Sample[] {
  const values: Record<ThresholdName, number> = {
    cpu: Math.min(100, round(1 + s.packets / (SAMPLE_INTERVAL_MS / 1000) / 20_000)),
    memory: Math.min(100, round(((8 * 1024 * 1024 + load.ruleLines * 512 + load.connections * 384) / TOTAL_MAX_BYTES) * 100)),
    cps: round(s.connections / (SAMPLE_INTERVAL_MS / 1000)),
  };
  s.packets = 0;
  s.connections = 0;
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
