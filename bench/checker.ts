import { performance } from 'node:perf_hooks';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir, loadCorpus } from '../src/sim/history/corpus.testkit';
import { rng } from '../src/sim/history/history.testkit';
import { checkHistory, checkHistoryText } from '../src/sim/history/check';
import { checkLinearizability } from '../src/sim/history/linearizability';
import { readStateLab } from '../src/sim/history/formats';
import { registerModel } from '../src/sim/history/register-model';
import type { History, OpRecord } from '../src/sim/history/types';
import type { JsonValue } from '../src/sim/core/json';
import type { Figure } from './engine';

/**
 * A linearizable history from a simulated store: each client runs one operation at a time,
 * each operation takes effect at a tick inside its interval, in that order across clients.
 * About 2% time out (`info`); half of those took effect anyway. Deterministic (xorshift32).
 */
export function generateHistory(opCount = 10_000, keyCount = 10, clients = 5, seed = 42): History {
  const rand = rng(seed);
  interface Planned {
    agent: string;
    op: string;
    args: { [k: string]: JsonValue };
    call: number;
    at: number;
    ret: number;
    info: boolean;
    applies: boolean;
    seq: number;
  }
  const keys = Array.from({ length: keyCount }, (_, i) => `k${i}`);
  const planned: Planned[] = [];
  const clock = new Array<number>(clients).fill(0);
  let written = 0;
  for (let i = 0; i < opCount; i++) {
    const c = i % clients;
    const call = (clock[c] ?? 0) + rand(3);
    const ret = call + 1 + rand(6);
    const at = call + rand(ret - call + 1);
    const key = keys[rand(keyCount)] ?? 'k0';
    const r = rand(100);
    let op: string;
    let args: { [k: string]: JsonValue };
    if (r < 50) [op, args] = ['get', { key }];
    else if (r < 85) [op, args] = ['set', { key, value: ++written }];
    else if (r < 90) [op, args] = ['delete', { key }];
    else if (r < 95) [op, args] = ['get_all', {}];
    else {
      const other = keys[(keys.indexOf(key) + 1 + rand(keyCount - 1)) % keyCount] ?? 'k1';
      [op, args] = ['update', { updates: { [key]: ++written, [other]: ++written } }];
    }
    const info = rand(100) < 2;
    planned.push({ agent: `client${c + 1}`, op, args, call, at, ret, info, applies: !info || rand(2) === 0, seq: i });
    clock[c] = ret;
  }
  // Apply in effect order; record results.
  const state = new Map<string, JsonValue>();
  let version = 0;
  const results = new Map<Planned, JsonValue>();
  for (const p of [...planned].sort((a, b) => a.at - b.at || a.seq - b.seq)) {
    if (!p.applies) continue;
    const key = typeof p.args['key'] === 'string' ? p.args['key'] : '';
    switch (p.op) {
      case 'get':
        results.set(p, { value: state.get(key) ?? null, version });
        break;
      case 'set':
        state.set(key, p.args['value'] ?? null);
        results.set(p, { version: ++version });
        break;
      case 'delete': {
        const existed = state.delete(key);
        if (existed) version++;
        results.set(p, { version, existed });
        break;
      }
      case 'get_all':
        results.set(p, { state: Object.fromEntries([...state].sort((a, b) => (a[0] < b[0] ? -1 : 1))), version });
        break;
      case 'update': {
        const u = p.args['updates'];
        version++;
        if (typeof u === 'object' && u !== null && !Array.isArray(u))
          for (const [k, v] of Object.entries(u)) state.set(k, v);
        results.set(p, { version });
        break;
      }
    }
  }
  const ops: OpRecord[] = [...planned]
    .sort((a, b) => a.call - b.call || a.seq - b.seq)
    .map((p, id) => ({
      id,
      agent: p.agent,
      op: p.op,
      args: p.args,
      invokedAt: p.call,
      completedAt: p.ret,
      outcome: p.info ? 'info' : 'ok',
      result: p.info ? null : (results.get(p) ?? null),
      reason: p.info ? 'timed out' : null,
    }));
  return { ops };
}

function time<T>(f: () => T): [number, T] {
  const t = performance.now();
  const r = f();
  return [Math.round(performance.now() - t), r];
}

export function checkerBench(): Figure[] {
  const figures: Figure[] = [];
  const dir = corpusDir();
  if (existsSync(join(dir, 'verdicts.tsv'))) figures.push(...corpusFigures());
  else
    console.log(
      `\nChecker, Jepsen corpus: skipped (no ${join(dir, 'verdicts.tsv')}: the corpus is shared/corpus/linearizability; ` +
        `clone beside ../shared or set STATELAB_CORPUS to that folder)`,
    );
  figures.push(...generatedFigures());
  return figures;
}

function corpusFigures(): Figure[] {
  const corpus = loadCorpus();
  const figures: Figure[] = [];
  // The first pass includes compiling the checker (what one `sim check` run pays); the
  // second is the checker itself.
  for (const pass of ['first pass', 'second pass']) {
    const [full] = time(() => {
      for (const c of corpus) checkHistoryText(c.text);
    });
    figures.push({
      name: `corpus: all ${corpus.length} histories, full report (${pass})`,
      value: full,
      unit: 'ms',
      target: '≤ 1500 ms',
    });
  }
  const [verdicts] = time(() => {
    for (const c of corpus) checkHistoryText(c.text, { witness: false });
  });
  figures.push({ name: `corpus: all ${corpus.length} histories, without witnesses`, value: verdicts, unit: 'ms' });
  return figures;
}

function generatedFigures(): Figure[] {
  const figures: Figure[] = [];

  const history = generateHistory();
  const [lin, result] = time(() =>
    checkLinearizability(registerModel(), readStateLab(history).ops, { timeUnit: 'tick' }),
  );
  if (result.linearizable !== true)
    throw new Error(`generated history should be linearizable, got ${String(result.linearizable)}`);
  figures.push({
    name: 'generated 10,000 ops, 10 keys, 5 clients: linearizability',
    value: lin,
    unit: 'ms',
    target: '< 1000 ms',
  });
  figures.push({ name: 'generated 10,000 ops: search steps', value: result.steps, unit: 'steps' });
  const [report] = time(() => checkHistory(history));
  figures.push({
    name: 'generated 10,000 ops: full report (+ anomalies, sessions; too big for the SC search)',
    value: report,
    unit: 'ms',
  });
  return figures;
}
