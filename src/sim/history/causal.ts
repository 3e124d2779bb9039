import { compareStrings } from '../core/dict';
import { formatInterval } from './explain';
import { readStateLab } from './formats';
import { Bitset } from './hash';
import { UNKNOWN } from './model';
import { showValue, type RegValue } from './register-model';
import type { History } from './types';

/**
 * Causal consistency of a key-value history, by bad patterns, as Bouajjani, Enea, Guerraoui
 * and Hamza do it ("On verifying causal consistency", POPL 2017), for histories where every
 * value written to a key is unique (StateLab's workloads write `agentN:k`).
 *
 * With unique values, a read names the write it read from (reads-from, wr). Causal order
 * co = (so ∪ wr)+, where so is session order (sessions.ts's rule: an agent's completed op
 * precedes its ops invoked after it returned). The history is causally consistent iff none
 * of these occurs:
 *
 * - CyclicCO: co has a cycle (an op is in its own causal past).
 * - ThinAirRead: a read returns a value no operation wrote.
 * - WriteCOInitRead: a read returns a key's initial (absent) value although a write of that
 *   key is in its causal past.
 * - WriteCORead: a read returns the value of write w1 although another write w2 of the key
 *   lies causally between them (w1 co w2 co read): it saw an overwritten value.
 * - WriteHBInitRead, CyclicHB: the same two for the happens-before order hb_o of each read
 *   o: co on o's causal past, plus w1 hb w2 whenever a read r2 in that past reads the key
 *   from w2 while w1 (a write of the key) is hb-before r2. Computed per read, so only for
 *   histories of at most `maxHbEvents` operations; past that, `hbChecked` is false and a
 *   history with no other pattern is 'unknown', not causal.
 *
 * Soundness first (a reported pattern is a real violation): a failed op never happened; an
 * op of unknown outcome counts only if some read returned its value (then it happened), and
 * then nothing of its agent is ordered after it (it may have taken effect late). A read
 * that returned "absent" where deletes exist could have read any of them, so it is a
 * violation only when every candidate (the initial state and each delete) is overwritten in
 * its causal past. A value written twice makes its reads' source unknown: they add no edge.
 */
export type CausalPattern =
  'CyclicCO' | 'ThinAirRead' | 'WriteCOInitRead' | 'WriteCORead' | 'WriteHBInitRead' | 'CyclicHB';

export const CAUSAL_PATTERNS: readonly CausalPattern[] = [
  'CyclicCO',
  'ThinAirRead',
  'WriteCOInitRead',
  'WriteCORead',
  'WriteHBInitRead',
  'CyclicHB',
];

export interface CausalViolation {
  readonly pattern: CausalPattern;
  readonly keys: string[];
  /** The operations that prove it, by id, in invocation order. */
  readonly opIds: number[];
  readonly explanation: string;
}

export interface CausalResult {
  readonly causal: true | false | 'unknown';
  /** Operations taken into account (completed ones, and unknown-outcome writes someone read). */
  readonly events: number;
  readonly violations: CausalViolation[];
  readonly counts: Record<CausalPattern, number>;
  /** Whether the per-read happens-before patterns were checked (small histories only). */
  readonly hbChecked: boolean;
  readonly notes: string[];
}

export const DEFAULT_HB_EVENTS = 150;

interface Ev {
  readonly id: number;
  readonly agent: string;
  readonly call: number;
  readonly ret: number;
  readonly ok: boolean;
  readonly writes: Map<string, RegValue>;
  readonly reads: Map<string, RegValue>;
}

/** A read's source: one event, the initial state, or a set of candidates (init and deletes). */
type Source =
  { kind: 'event'; index: number } | { kind: 'init' } | { kind: 'absent'; deletes: number[] } | { kind: 'ambiguous' };

export function checkCausal(
  history: History,
  opts: { maxPerPattern?: number; maxHbEvents?: number } = {},
): CausalResult {
  const max = opts.maxPerPattern ?? 20;
  const counts = Object.fromEntries(CAUSAL_PATTERNS.map((p) => [p, 0])) as Record<CausalPattern, number>;
  const violations: CausalViolation[] = [];
  const notes: string[] = [];
  const parsed = readStateLab(history);
  if (parsed.unsupported !== undefined) {
    return {
      causal: 'unknown',
      events: 0,
      violations,
      counts,
      hbChecked: false,
      notes: [`not checked: ${parsed.unsupported}`],
    };
  }

  // One event per operation: its writes and reads, key by key.
  const byId = new Map<
    number,
    {
      id: number;
      agent: string;
      call: number;
      ret: number;
      ok: boolean;
      writes: Map<string, RegValue>;
      reads: Map<string, RegValue>;
    }
  >();
  for (const o of parsed.ops) {
    let e = byId.get(o.id);
    if (!e) {
      e = {
        id: o.id,
        agent: o.agent,
        call: o.call,
        ret: o.ret,
        ok: o.output !== UNKNOWN,
        writes: new Map(),
        reads: new Map(),
      };
      byId.set(o.id, e);
    }
    if (o.output === UNKNOWN) e.ok = false;
    if (o.input.f === 'write') e.writes.set(o.key, o.input.value);
    else if (o.input.f === 'delete') e.writes.set(o.key, null);
    // A read of siblings names no single write it read from: the patterns leave it out.
    else if (o.input.f === 'read' && o.output !== UNKNOWN && o.output.f === 'read' && o.output.siblings === undefined)
      e.reads.set(o.key, o.output.value);
    else if (o.input.f === 'cas' && o.output !== UNKNOWN && o.output.f === 'cas' && o.output.swapped) {
      e.reads.set(o.key, o.input.from);
      e.writes.set(o.key, o.input.to);
    }
  }
  const all = [...byId.values()].sort((a, b) => a.id - b.id);

  // Which unknown-outcome writes were read (so they happened).
  const writers = new Map<string, number[]>();
  const wkey = (k: string, v: string): string => `${k.length}:${k}${v}`;
  all.forEach((e, i) => {
    for (const [k, v] of e.writes) if (v !== null) writers.set(wkey(k, v), [...(writers.get(wkey(k, v)) ?? []), i]);
  });
  const readFrom = new Set<number>();
  for (const e of all) {
    if (!e.ok) continue;
    for (const [k, v] of e.reads) {
      const ws = v === null ? undefined : writers.get(wkey(k, v));
      if (ws && ws.length === 1) readFrom.add(ws[0]!);
    }
  }
  const evs: Ev[] = all.filter(
    (e, i) => (e.ok && (e.reads.size > 0 || e.writes.size > 0)) || (!e.ok && readFrom.has(i)),
  );
  const n = evs.length;
  const srcIndex = new Map<string, number[]>();
  const writesOf = new Map<string, number[]>();
  const deletesOf = new Map<string, number[]>();
  evs.forEach((e, i) => {
    for (const [k, v] of e.writes) {
      writesOf.set(k, [...(writesOf.get(k) ?? []), i]);
      if (v === null) deletesOf.set(k, [...(deletesOf.get(k) ?? []), i]);
      else srcIndex.set(wkey(k, v), [...(srcIndex.get(wkey(k, v)) ?? []), i]);
    }
  });

  const add = (v: CausalViolation): void => {
    counts[v.pattern]++;
    if (counts[v.pattern] <= max) violations.push(v);
  };
  const t = (i: number): string => {
    const e = evs[i]!;
    return `op ${e.id} (${e.agent}, ${formatInterval(e.call, e.ret, 'tick')})`;
  };
  const ids = (is: number[]): number[] => [...new Set(is.map((i) => evs[i]!.id))].sort((a, b) => a - b);

  // Sources, and thin-air reads.
  const sources: { read: number; key: string; value: RegValue; source: Source }[] = [];
  evs.forEach((e, i) => {
    if (!e.ok) return;
    for (const [k, v] of [...e.reads].sort((a, b) => compareStrings(a[0], b[0]))) {
      if (v === null) {
        const ds = deletesOf.get(k) ?? [];
        sources.push({
          read: i,
          key: k,
          value: v,
          source: ds.length === 0 ? { kind: 'init' } : { kind: 'absent', deletes: ds },
        });
        continue;
      }
      const ws = srcIndex.get(wkey(k, v)) ?? [];
      if (ws.length === 0) {
        add({
          pattern: 'ThinAirRead',
          keys: [k],
          opIds: [e.id],
          explanation: `${t(i)} read ${showValue(v)} from ${k}, a value no operation wrote (out of thin air).`,
        });
        continue;
      }
      sources.push({
        read: i,
        key: k,
        value: v,
        source: ws.length === 1 ? { kind: 'event', index: ws[0]! } : { kind: 'ambiguous' },
      });
    }
  });
  if (sources.some((s) => s.source.kind === 'ambiguous'))
    notes.push('some values were written more than once: reads of them add no reads-from edge');

  // Edges: session order (from completed ops only) and reads-from.
  const preds: number[][] = Array.from({ length: n }, () => []);
  const lastOk = new Map<string, number>();
  evs.forEach((e, i) => {
    const p = lastOk.get(e.agent);
    if (p !== undefined && evs[p]!.ret <= e.call) preds[i]!.push(p);
    if (e.ok) lastOk.set(e.agent, i);
  });
  for (const s of sources)
    if (s.source.kind === 'event' && s.source.index !== s.read) preds[s.read]!.push(s.source.index);

  // anc[i]: every event causally before i (i itself only on a cycle).
  const anc: Bitset[] = [];
  for (let i = 0; i < n; i++) {
    const b = new Bitset(n);
    const stack = [...preds[i]!];
    while (stack.length > 0) {
      const j = stack.pop()!;
      if (b.has(j)) continue;
      b.set(j);
      for (const q of preds[j]!) if (!b.has(q)) stack.push(q);
    }
    anc.push(b);
  }

  // CyclicCO: one report per strongly connected group, by its smallest member.
  const reported = new Set<number>();
  for (let i = 0; i < n; i++) {
    if (!anc[i]!.has(i) || reported.has(i)) continue;
    const cycle: number[] = [];
    for (let j = 0; j < n; j++) if (anc[i]!.has(j) && anc[j]!.has(i)) cycle.push(j);
    for (const j of cycle) reported.add(j);
    add({
      pattern: 'CyclicCO',
      keys: [...new Set(cycle.flatMap((j) => [...evs[j]!.writes.keys(), ...evs[j]!.reads.keys()]))].sort(
        compareStrings,
      ),
      opIds: ids(cycle),
      explanation: `ops ${ids(cycle).join(', ')} are each in the causal past of the others: each read a value another wrote after, in its own session, reading one of theirs.`,
    });
  }

  // WriteCOInitRead / WriteCORead: the value read is overwritten in the read's causal past.
  for (const s of sources) {
    const r = s.read;
    const ws = (writesOf.get(s.key) ?? []).filter((w) => w !== r && anc[r]!.has(w));
    if (s.source.kind === 'event') {
      const w1 = s.source.index;
      const w2 = ws.find((w) => w !== w1 && anc[w]!.has(w1));
      if (w2 !== undefined) {
        add({
          pattern: 'WriteCORead',
          keys: [s.key],
          opIds: ids([w1, w2, r]),
          explanation: `${t(r)} read ${showValue(s.value)} from ${s.key}, written by ${t(w1)}, although ${t(w2)} overwrote it (${showValue(evs[w2]!.writes.get(s.key) ?? null)}) and is in the read's causal past.`,
        });
      }
    } else if (s.source.kind === 'init') {
      const w = ws[0];
      if (w !== undefined) {
        add({
          pattern: 'WriteCOInitRead',
          keys: [s.key],
          opIds: ids([w, r]),
          explanation: `${t(r)} found ${s.key} absent, although ${t(w)} wrote ${showValue(evs[w]!.writes.get(s.key) ?? null)} to it and is in the read's causal past.`,
        });
      }
    } else if (s.source.kind === 'absent') {
      // Init is overwritten by any write in the past; each delete d by a write after it.
      const initGone = ws.some((w) => evs[w]!.writes.get(s.key) !== null)
        ? ws.find((w) => evs[w]!.writes.get(s.key) !== null)
        : undefined;
      if (initGone === undefined) continue;
      const candidates = s.source.deletes.filter((d) => d !== r && !anc[d]!.has(r));
      const overwritten = candidates.map((d) =>
        ws.find((w) => w !== d && anc[w]!.has(d) && evs[w]!.writes.get(s.key) !== null),
      );
      if (overwritten.some((w) => w === undefined)) continue;
      add({
        pattern: candidates.length === 0 ? 'WriteCOInitRead' : 'WriteCORead',
        keys: [s.key],
        opIds: ids([initGone, ...candidates, ...(overwritten as number[]), r]),
        explanation: `${t(r)} found ${s.key} absent, although ${t(initGone)} wrote it${candidates.length ? ' and every delete it could have seen was overwritten' : ''} in the read's causal past.`,
      });
    }
  }

  const maxHb = opts.maxHbEvents ?? DEFAULT_HB_EVENTS;
  const hbChecked = n <= maxHb;
  if (hbChecked) hbPatterns(evs, sources, anc, writesOf, add, t, ids);
  else notes.push(`WriteHBInitRead and CyclicHB are checked up to ${maxHb} operations; this history has ${n}`);

  const found = CAUSAL_PATTERNS.some((p) => counts[p] > 0);
  return { causal: found ? false : hbChecked ? true : 'unknown', events: n, violations, counts, hbChecked, notes };
}

/** The happens-before patterns, per read o (Bouajjani et al.'s hb_o), on small histories. */
function hbPatterns(
  evs: readonly Ev[],
  sources: readonly { read: number; key: string; value: RegValue; source: Source }[],
  anc: readonly Bitset[],
  writesOf: ReadonlyMap<string, number[]>,
  add: (v: CausalViolation) => void,
  t: (i: number) => string,
  ids: (is: number[]) => number[],
): void {
  const n = evs.length;
  const seen = new Set<string>();
  const readsAt = new Map<number, typeof sources>();
  for (const s of sources) readsAt.set(s.read, [...(readsAt.get(s.read) ?? []), s]);
  for (const o of readsAt.keys()) {
    const inP = (i: number): boolean => i === o || anc[o]!.has(i);
    const members: number[] = [];
    for (let i = 0; i < n; i++) if (inP(i)) members.push(i);
    // before[v]: what is hb_o-before v, starting from co restricted to the past.
    const before = new Map<number, Bitset>();
    for (const v of members) {
      const b = new Bitset(n);
      for (const u of members) if (anc[v]!.has(u)) b.set(u);
      before.set(v, b);
    }
    const edge = (u: number, v: number): boolean => {
      const bv = before.get(v)!;
      if (bv.has(u)) return false;
      // v and everything after v learn u and all before u.
      const bu = before.get(u)!;
      for (const x of members) {
        const bx = before.get(x)!;
        if (x === v || bx.has(v)) {
          bx.set(u);
          for (let w = 0; w < bx.words.length; w++) bx.words[w] = bx.words[w]! | bu.words[w]!;
        }
      }
      return true;
    };
    for (let changed = true; changed;) {
      changed = false;
      for (const r2 of members) {
        for (const s of readsAt.get(r2) ?? []) {
          if (s.source.kind !== 'event' || !inP(s.source.index)) continue;
          const w2 = s.source.index;
          for (const w1 of writesOf.get(s.key) ?? []) {
            if (w1 === w2 || !inP(w1) || !before.get(r2)!.has(w1)) continue;
            if (edge(w1, w2)) changed = true;
          }
        }
      }
    }
    const cyc = members.filter((v) => before.get(v)!.has(v));
    if (cyc.length > 0) {
      const k = `C${ids(cyc).join(',')}`;
      if (!seen.has(k)) {
        seen.add(k);
        add({
          pattern: 'CyclicHB',
          keys: [...new Set(cyc.flatMap((j) => [...evs[j]!.writes.keys()]))].sort(compareStrings),
          opIds: ids([...cyc, o]),
          explanation: `as ${t(o)} sees them, writes ${ids(cyc).join(', ')} must each come before the others: no order of the writes explains what was read.`,
        });
      }
    }
    for (const r of members) {
      for (const s of readsAt.get(r) ?? []) {
        if (s.source.kind !== 'init') continue;
        const w = (writesOf.get(s.key) ?? []).find((x) => inP(x) && before.get(r)!.has(x));
        if (w === undefined || anc[r]!.has(w)) continue; // the co case is WriteCOInitRead's
        const k = `I${r},${w}`;
        if (seen.has(k)) continue;
        seen.add(k);
        add({
          pattern: 'WriteHBInitRead',
          keys: [s.key],
          opIds: ids([w, r, o]),
          explanation: `${t(r)} found ${s.key} absent, yet as ${t(o)} sees the history, ${t(w)}'s write of ${s.key} must come before that read.`,
        });
      }
    }
  }
}
