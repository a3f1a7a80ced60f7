/** Trace records are wire data every component writes: they live in protocol (this keeps older imports working). */
export type { PacketKind, ProbeTrace, TraceAction, TracePlace, TraceRecord } from '../protocol/trace';
