/** The lab clock's mode and controls as the screens see them (reactive); the logic is in clock-driver.ts. */
import { ClockDriver, type ClockMode, type ClockSession } from './clock-driver';

export class LabClock {
  readonly state = $state({ mode: 'realtime' as ClockMode, advancing: false });
  readonly driver: ClockDriver;

  constructor(session: ClockSession) {
    this.driver = new ClockDriver(this.state, session);
  }

  get mode(): ClockMode {
    return this.state.mode;
  }

  get advancing(): boolean {
    return this.state.advancing;
  }

  set(mode: ClockMode): void {
    this.driver.set(mode);
  }

  advance(seconds: number | 'step'): Promise<void> {
    return this.driver.advance(seconds);
  }

  start(): () => void {
    return this.driver.start();
  }
}
