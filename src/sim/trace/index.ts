/** Traces of runs: lanes, events with vector clocks, happens-before, ShiViz export. */
export { recordTrace, recordTraceFrom, DEFAULT_MAX_EVENTS } from './trace';
export type { Trace, TraceEvent, TraceEventKind, TraceLane, TraceMessage, TraceBand, TraceOptions } from './trace';
export { happensBefore, compareEvents, clockLeq, causalPast, causalFuture, concurrentWith, relations } from './clock';
export type { Order } from './clock';
export { toShiViz, SHIVIZ_REGEX } from './shiviz';
