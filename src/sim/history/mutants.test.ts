import { describe, expect, it } from 'vitest';
import { checkHistory } from './check';
import { exhaustiveCheck } from './exhaustive';
import { readStateLab } from './formats';
import { append as appendOp, get as getOp, rng, simulateStore, type KvOp, type StoreBug } from './history.testkit';
import { kvModel } from './kv-model';
import { checkLinearizability } from './linearizability';
import { UNKNOWN } from './model';
import { registerModel } from './register-model';
import type { History, OpRecord } from './types';

/**
 * Histories from tiny simulated stores, correct and buggy. The oracle below is independent
 * of the checker and deliberately narrow: it flags a history only when a read provably sees
 * an overwritten value (values are unique, so each has one write): the read began after a
 * write W' completed, and W' began after the write of the value read had completed.
 */
function bugShows(h: History): boolean {
  const ok = h.ops.filter((o) => o.outcome === 'ok' && o.completedAt !== null);
  const keyOf = (o: OpRecord): string => (o.args as { key: string }).key;
  const sets = ok.filter((o) => o.op === 'set');
  for (const r of ok) {
    if (r.op !== 'get') continue;
    const v = (r.result as { value: unknown }).value;
    const source = h.ops.find(
      (o) => o.op === 'set' && keyOf(o) === keyOf(r) && (o.args as { value: unknown }).value === v,
    );
    if (v !== null && source === undefined) return true; // a value nobody wrote
    const sourceRet = source === undefined ? -Infinity : (source.completedAt ?? Infinity);
    if (
      sets.some(
        (w) =>
          w !== source && keyOf(w) === keyOf(r) && (w.completedAt ?? Infinity) < r.invokedAt && w.invokedAt > sourceRet,
      )
    )
      return true;
  }
  return false;
}

const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1);

function verdicts(bug: StoreBug): { shows: number; caught: number; missed: number[]; flaggedClean: number[] } {
  let shows = 0;
  let caught = 0;
  const missed: number[] = [];
  const flaggedClean: number[] = [];
  for (const seed of SEEDS) {
    const h = simulateStore({ seed, bug, opsPerClient: 8 });
    const r = checkHistory(h, { sequentialMaxSteps: 0 });
    const visible = bugShows(h);
    if (visible) shows++;
    if (r.linearizable === false) {
      caught++;
      // Every "not linearizable" comes with a witness the brute force confirms.
      const ids = new Set(r.witness?.opIds ?? []);
      const wops = readStateLab(h).ops.filter((o) => o.key === r.witness?.key && ids.has(o.id));
      expect(exhaustiveCheck(registerModel(), wops).linearizable).toBe(false);
    }
    if (visible && r.linearizable !== false) missed.push(seed);
    if (bug === 'none' && r.linearizable !== true) flaggedClean.push(seed);
  }
  return { shows, caught, missed, flaggedClean };
}

describe('simulated stores', () => {
  it('a correct store always gives linearizable histories', () => {
    const v = verdicts('none');
    expect(v.flaggedClean).toEqual([]);
    expect(v.shows).toBe(0);
  });

  for (const bug of ['stale-read', 'lost-write', 'duplicate'] as const) {
    it(`catches a store with bug "${bug}" wherever the bug shows`, () => {
      const v = verdicts(bug);
      expect(v.missed).toEqual([]);
      // Not vacuous: the bug shows in a good share of runs, and is caught there.
      expect(v.shows).toBeGreaterThan(SEEDS.length / 6);
      expect(v.caught).toBeGreaterThanOrEqual(v.shows);
    });
  }

  it('catches a kv store that applies a duplicated append twice', () => {
    const kv = kvModel();
    let shows = 0;
    for (const seed of SEEDS) {
      const { ops, duplicated } = appendStore(seed, true);
      const r = checkLinearizability(kv, ops);
      const twice = ops.some((o) => o.output !== UNKNOWN && o.output.f === 'get' && hasRepeat(o.output.value));
      if (twice) {
        shows++;
        expect(r.linearizable, `seed ${seed}`).toBe(false);
      }
      if (!duplicated) expect(r.linearizable).toBe(true);
      if (r.linearizable === false) {
        const ids = new Set(r.witness?.opIds ?? []);
        expect(
          exhaustiveCheck(
            kv,
            ops.filter((o) => ids.has(o.id)),
          ).linearizable,
        ).toBe(false);
      }
      const clean = appendStore(seed, false).ops;
      expect(checkLinearizability(kv, clean).linearizable, `clean seed ${seed}`).toBe(true);
    }
    expect(shows).toBeGreaterThan(SEEDS.length / 6);
  });
});

function hasRepeat(s: string): boolean {
  const parts = s.split('|').filter((p) => p !== '');
  return new Set(parts).size !== parts.length;
}

/**
 * A kv store where two clients append unique tokens ("|a3") and a third reads; each op
 * takes effect at a tick inside its interval, in tick order. With `dup`, some appends are
 * delivered again later and the store appends them a second time.
 */
function appendStore(seed: number, dup: boolean): { ops: KvOp[]; duplicated: boolean } {
  const rand = rng(seed);
  interface Planned {
    client: number;
    call: number;
    at: number;
    ret: number;
    token: string | null;
    seq: number;
    again: boolean;
  }
  const planned: Planned[] = [];
  const clocks = [0, 0, 0];
  let seq = 0;
  for (let round = 0; round < 6; round++) {
    for (let c = 0; c < 3; c++) {
      const call = (clocks[c] ?? 0) + rand(2);
      const at = call + rand(3);
      const ret = at + rand(3);
      planned.push({
        client: c,
        call,
        at,
        ret,
        token: c < 2 ? `|${String.fromCharCode(97 + c)}${round}` : null,
        seq: seq++,
        again: false,
      });
      clocks[c] = ret;
    }
  }
  const effects = [...planned];
  let duplicated = false;
  if (dup) {
    for (const p of planned) {
      if (p.token !== null && rand(3) === 0) {
        effects.push({ ...p, at: p.at + 3 + rand(4), seq: seq++, again: true });
        duplicated = true;
      }
    }
  }
  let value = '';
  const seen = new Map<Planned, string>();
  for (const e of effects.sort((a, b) => a.at - b.at || a.seq - b.seq)) {
    if (e.token !== null) value += e.token;
    else seen.set(e, value);
  }
  const ops = planned
    .sort((a, b) => a.call - b.call || a.seq - b.seq)
    .map((p, id) =>
      p.token !== null
        ? appendOp(id, `c${p.client}`, p.call, p.ret, p.token)
        : getOp(id, `c${p.client}`, p.call, p.ret, seen.get(p) ?? ''),
    );
  return { ops, duplicated };
}
