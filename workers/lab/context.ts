import type { EventInput } from '../protocol/events';

/**
 * What a component may ask of the simulation. Components never read the wall clock or
 * Math.random: time and randomness come from here, so a run is reproducible.
 */
export interface SimContext {
  /** Virtual time, epoch milliseconds. */
  now(): number;
  /** Uniform [0, 1) from the component's own seeded stream. */
  random(): number;
  emit(event: EventInput): void;
}
