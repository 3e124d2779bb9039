import type { Trace, TraceEvent } from './trace';

/**
 * Happens-before over a trace's events, read from their vector clocks (Fidge/Mattern).
 * Every event ticks its own lane's entry, so `a` happens before `b` exactly when `b` has
 * seen `a`'s own entry: `a.clock[a.lane] <= b.clock[a.lane]` (and they differ). That is one
 * comparison, not a pass over the vector.
 */
export function happensBefore(a: TraceEvent, b: TraceEvent): boolean {
  if (a.id === b.id) return false;
  return a.clock[a.lane]! <= (b.clock[a.lane] ?? 0);
}

export type Order = 'before' | 'after' | 'same' | 'concurrent';

/** How `a` relates to `b`: before, after, the same event, or concurrent. */
export function compareEvents(a: TraceEvent, b: TraceEvent): Order {
  if (a.id === b.id) return 'same';
  if (happensBefore(a, b)) return 'before';
  if (happensBefore(b, a)) return 'after';
  return 'concurrent';
}

/** The pointwise comparison of two clocks: ≤ in every entry. */
export function clockLeq(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if ((a[i] ?? 0) > (b[i] ?? 0)) return false;
  return true;
}

function event(trace: Trace, id: number): TraceEvent {
  const e = trace.events[id];
  if (e === undefined) throw new Error(`the trace has no event ${id}`);
  return e;
}

/** The ids of every event that happened before `id` (its causal past), in trace order. */
export function causalPast(trace: Trace, id: number): number[] {
  const t = event(trace, id);
  const out: number[] = [];
  for (const e of trace.events) if (happensBefore(e, t)) out.push(e.id);
  return out;
}

/** The ids of every event that `id` happened before (its causal future), in trace order. */
export function causalFuture(trace: Trace, id: number): number[] {
  const t = event(trace, id);
  const out: number[] = [];
  for (const e of trace.events) if (happensBefore(t, e)) out.push(e.id);
  return out;
}

/** The ids of every event concurrent with `id`: neither before nor after it. */
export function concurrentWith(trace: Trace, id: number): number[] {
  const t = event(trace, id);
  const out: number[] = [];
  for (const e of trace.events) if (e.id !== t.id && !happensBefore(e, t) && !happensBefore(t, e)) out.push(e.id);
  return out;
}

/** The three sets at once, as the diagram highlights them: one pass over the events. */
export function relations(
  trace: Trace,
  id: number,
): { past: Set<number>; future: Set<number>; concurrent: Set<number> } {
  const t = event(trace, id);
  const past = new Set<number>();
  const future = new Set<number>();
  const concurrent = new Set<number>();
  for (const e of trace.events) {
    if (e.id === t.id) continue;
    if (happensBefore(e, t)) past.add(e.id);
    else if (happensBefore(t, e)) future.add(e.id);
    else concurrent.add(e.id);
  }
  return { past, future, concurrent };
}
