import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario, parseScenarioText } from '../scenario/validate';
import type { Scenario } from '../scenario/schema';
import { parseComparison, parseComparisonText } from '../compare/validate';
import type { Comparison } from '../compare/constants';
import { runComparisonLesson, runLesson, stepAt } from './run';
import { ClaimSchema, type Claim, type Lesson } from './schema';

const DIR = resolve(process.cwd(), 'lessons');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

/** A lesson file: a scenario with narration, or a comparison with narration (it has panels). */
type LessonFile =
  | { kind: 'scenario'; scenario: Scenario; lesson: Lesson }
  | { kind: 'comparison'; comparison: Comparison; lesson: Lesson };

function read(file: string): LessonFile {
  const text = readFileSync(resolve(DIR, file), 'utf8');
  if (Object.hasOwn(JSON.parse(text) as object, 'panels')) {
    const r = parseComparisonText(text);
    if (!r.ok) throw new Error(`${file}: ${JSON.stringify(r.errors)}`);
    return { kind: 'comparison', comparison: r.comparison, lesson: r.comparison.lesson! };
  }
  const r = parseScenarioText(text);
  if (!r.ok) throw new Error(`${file}: ${JSON.stringify(r.errors)}`);
  return { kind: 'scenario', scenario: r.scenario, lesson: r.scenario.lesson! };
}

function load(file: string): Scenario {
  const f = read(file);
  if (f.kind !== 'scenario') throw new Error(`${file} is a comparison`);
  return f.scenario;
}

/** Runs a lesson file headless with its steps replaced. */
function runWith(f: LessonFile, lesson: Lesson) {
  return f.kind === 'scenario'
    ? runLesson({ ...f.scenario, lesson })
    : runComparisonLesson({ ...f.comparison, lesson });
}
const durationOf = (f: LessonFile): number => (f.kind === 'scenario' ? f.scenario.duration : f.comparison.duration);

describe('every lesson in lessons/', () => {
  it('there are lessons, with distinct ids matching their file names, one of them a comparison', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(`${read(f).lesson.id}.json`).toBe(f);
    expect(files.map(read).some((f) => f.kind === 'comparison')).toBe(true);
  });

  for (const f of files) {
    it(`${f}: runs from start to end, and every claim holds at its step`, () => {
      const l = read(f);
      const reports = runWith(l, l.lesson);
      expect(reports.length).toBe(l.lesson.steps.length);
      expect(reports.at(-1)!.step.tick).toBe(durationOf(l));
      const failed = reports.flatMap((r) =>
        r.claims.filter((c) => !c.holds).map((c) => `step ${r.index + 1}: ${c.claim.says} — measured: ${c.measured}`),
      );
      expect(failed).toEqual([]);
      // The last step sums up what was measured.
      expect(reports.at(-1)!.claims.length).toBeGreaterThan(0);
      // A comparison's claims say which panel they were checked on.
      if (l.kind === 'comparison')
        for (const c of reports.flatMap((r) => r.claims))
          expect(c.panel).toBe(l.comparison.panels.find((p) => p.id === c.claim.panel)!.label);
    });
  }
});

/** The opposite of a claim: it must not hold wherever the claim holds. */
function negate(c: Claim): Claim {
  const flipBounds = <T extends { atLeast?: number | undefined; atMost?: number | undefined }>(b: T, lo: number): T =>
    b.atMost !== undefined
      ? { ...b, atLeast: b.atMost + 1, atMost: undefined }
      : { ...b, atLeast: 0, atMost: Math.max(0, (b.atLeast ?? lo) - 1) };
  const other = (v: unknown): string | number => (typeof v === 'number' ? v + 1000 : `not ${JSON.stringify(v)}`);
  switch (c.kind) {
    case 'outcome':
      return { ...c, outcome: c.outcome === 'info' ? 'ok' : 'info' };
    case 'linearizable':
      return { ...c, holds: !c.holds };
    case 'down':
      return { ...c, down: !c.down };
    case 'cut':
      return { ...c, cut: !c.cut };
    case 'count':
    case 'metric':
      return flipBounds(c, 0);
    case 'anomaly':
      return flipBounds(c, 1);
    case 'holdings':
      return c.agree !== undefined ? { ...c, agree: !c.agree } : { ...c, value: other(c.value) };
    case 'fact':
    case 'result':
      return c.equals !== undefined ? { ...c, equals: other(c.equals) } : flipBounds(c, 0);
  }
}

describe('claims can fail', () => {
  for (const f of files) {
    it(`${f}: the opposite of every claim is reported as not holding`, () => {
      const l = read(f);
      const flipped: Lesson = {
        ...l.lesson,
        steps: l.lesson.steps.map((st) => (st.claims ? { ...st, claims: st.claims.map(negate) } : st)),
      };
      const results = runWith(l, flipped).flatMap((r) => r.claims);
      expect(results.length).toBeGreaterThan(5);
      for (const r of results) expect(r.holds, `${r.claim.says}: ${r.measured}`).toBe(false);
    });
  }
  it('every kind of claim is used, holding, by some lesson (so each is seen both ways)', () => {
    const used = new Set(
      files.flatMap((f) => read(f).lesson.steps.flatMap((st) => (st.claims ?? []).map((c) => c.kind))),
    );
    expect([...used].sort()).toEqual(ClaimSchema.options.map((o) => o.shape.kind.value).sort());
  });
});

describe('holdings, fact and result claims', () => {
  const s = load('concurrent-writes.json');
  const at = (tick: number, claims: Claim[]) => {
    const scenario: Scenario = { ...s, lesson: { ...s.lesson!, steps: [{ tick, title: 't', text: 't', claims }] } };
    return runLesson(scenario)[0]!.claims.map((c) => [c.holds, c.measured] as const);
  };
  it('holdings: a server that does not hold the key sees nothing (null), and a key nobody holds agrees', () => {
    const r = at(5, [
      { kind: 'holdings', key: 'nobody', node: 'r1', value: null, says: 'r1 holds nothing.' },
      { kind: 'holdings', key: 'nobody', agree: true, says: 'trivially' },
      { kind: 'holdings', key: '__proto__', node: 'r1', value: 'x', says: 'hostile key' },
    ]);
    expect(r.map(([h]) => h)).toEqual([true, true, false]);
    expect(r[0]![1]).toContain('no server holds');
  });
  it('fact: text, a numeric part, bounds, and a fact or server that does not exist', () => {
    const r = at(90, [
      { kind: 'fact', node: 'r1', label: 'Round', atLeast: 20, atMost: 25, says: 'round' },
      { kind: 'fact', node: 'r1', label: 'Version vector', part: 1, equals: 2, says: 'r1:2' },
      { kind: 'fact', node: 'r1', label: 'Version vector', part: 5, atLeast: 0, says: 'no sixth number' },
      { kind: 'fact', node: 'r1', label: 'No such fact', equals: 'x', says: 'none' },
      { kind: 'fact', node: 'r1', label: 'Mode', equals: 'lww', says: 'not yet' },
    ]);
    expect(r.map(([h]) => h)).toEqual([true, true, false, false, false]);
    expect(r[3]![1]).toContain('states no fact');
  });
  it('result: a failed operation has no result to compare, and a missing field never holds', () => {
    const r = at(99, [
      { kind: 'result', agent: 'agent1', op: 'increment', field: 'value', atLeast: 0, says: 'refused' },
      { kind: 'result', agent: 'agent2', op: 'get', field: 'nope', equals: null, says: 'missing field' },
      { kind: 'result', agent: 'agent2', op: 'get', field: 'local', equals: true, says: 'a local read' },
    ]);
    expect(r.map(([h]) => h)).toEqual([false, false, true]);
  });
  it('result: a dotted path reads into the result, own properties only', () => {
    const r = at(280, [
      { kind: 'result', agent: 'agent2', op: 'counter', field: 'value', atLeast: 5, atMost: 5, says: 'five' },
      { kind: 'result', agent: 'agent1', op: 'get', field: 'siblings.length', equals: 2, says: 'no array paths' },
      { kind: 'result', agent: 'agent1', op: 'get', field: '__proto__.value', equals: null, says: 'hostile path' },
      {
        kind: 'result',
        agent: 'agent1',
        op: 'get',
        field: 'value.constructor',
        equals: null,
        says: 'not into a string',
      },
    ]);
    expect(r.map(([h]) => h)).toEqual([true, false, false, false]);
  });
  it('linearizable of one key: a key nobody touched is not claimed either way', () => {
    const r = at(99, [
      { kind: 'linearizable', key: 'x', holds: false, says: 'x: a tie read two ways' },
      { kind: 'linearizable', key: 'nothing', holds: true, says: 'untouched' },
      { kind: 'linearizable', key: 'nothing', holds: false, says: 'untouched' },
    ]);
    expect(r.map(([h]) => h)).toEqual([true, false, false]);
    expect(r[1]![1]).toContain('no operation');
  });
});

describe('the lesson format refuses what would mislead', () => {
  const s = load('single-source-of-truth.json');
  const withLesson = (patch: (l: NonNullable<Scenario['lesson']>) => unknown): unknown => ({
    ...s,
    lesson: patch(structuredClone(s.lesson!)),
  });
  it('an answer that is not one of the choices', () => {
    const r = parseScenario(
      withLesson((l) => ({
        ...l,
        steps: [{ ...l.steps[0], question: { prompt: 'p', choices: ['a', 'b'], answer: 3, explain: 'e' } }],
      })),
    );
    expect(r.ok).toBe(false);
  });
  it('steps out of tick order, or after the end', () => {
    expect(parseScenario(withLesson((l) => ({ ...l, steps: [...l.steps].reverse() }))).ok).toBe(false);
    const late = parseScenario(withLesson((l) => ({ ...l, steps: [{ ...l.steps[0], tick: s.duration + 1 }] })));
    expect(late.ok).toBe(false);
    if (!late.ok) expect(late.errors[0]!.message).toContain("after the scenario's end");
  });
  it('a holdings or fact claim about something that is not a server', () => {
    const r = parseScenario(
      withLesson((l) => ({
        ...l,
        steps: [{ ...l.steps[0], claims: [{ kind: 'fact', node: 'agent1', label: 'Mode', equals: 'x', says: 'x' }] }],
      })),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.message).toContain('no server');
    const half = parseScenario(
      withLesson((l) => ({
        ...l,
        steps: [{ ...l.steps[0], claims: [{ kind: 'holdings', key: 'x', node: 'store', says: 'x' }] }],
      })),
    );
    expect(half.ok).toBe(false);
  });
  it('a claim about a node the scenario does not have', () => {
    const r = parseScenario(
      withLesson((l) => ({
        ...l,
        steps: [{ ...l.steps[0], claims: [{ kind: 'down', node: 'nobody', down: true, says: 'x' }] }],
      })),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.message).toContain('"nobody"');
  });
});

describe('stepAt', () => {
  it('is the last step at or before the tick', () => {
    const steps = [{ tick: 0 }, { tick: 10 }, { tick: 10 }, { tick: 30 }];
    expect([0, 9, 10, 29, 30, 99].map((t) => stepAt(steps, t))).toEqual([0, 0, 2, 2, 3, 3]);
  });
});

describe('a comparison with narration', () => {
  const cap = read('cap-one-partition.json');
  if (cap.kind !== 'comparison') throw new Error('cap-one-partition is a comparison');
  const c = cap.comparison;
  const withClaim = (claim: unknown, tick = 10): unknown => ({
    ...c,
    lesson: { ...c.lesson!, steps: [{ tick, title: 't', text: 't', claims: [claim] }] },
  });
  const errorsOf = (data: unknown): string[] => {
    const r = parseComparison(data);
    return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
  };
  it('each claim names a panel that exists, and nodes that panel has', () => {
    expect(errorsOf(withClaim({ kind: 'down', node: 'store', down: false, says: 'x' }))[0]).toContain(
      'names the panel',
    );
    expect(errorsOf(withClaim({ kind: 'down', node: 'store', down: false, says: 'x', panel: 'nope' }))[0]).toContain(
      'no panel is called "nope"',
    );
    expect(errorsOf(withClaim({ kind: 'down', node: 'store', down: false, says: 'x', panel: 'gossip' }))[0]).toContain(
      'no node in the panel "gossip" is called "store"',
    );
    expect(
      errorsOf(withClaim({ kind: 'holdings', key: 'x', node: 'agent1', value: null, says: 'x', panel: 'quorum' }))[0],
    ).toContain('no server in the panel "quorum"');
    expect(errorsOf(withClaim({ kind: 'down', node: 'store', down: false, says: 'x', panel: 'centralized' }))).toEqual(
      [],
    );
    expect(
      errorsOf(withClaim({ kind: 'down', node: 'store', down: false, says: 'x', panel: '__proto__' }))[0],
    ).toContain('no panel is called');
  });
  it("a step after the comparison's end, and scripted operations out of order or by nobody", () => {
    expect(
      errorsOf(
        withClaim({ kind: 'down', node: 'store', down: false, says: 'x', panel: 'centralized' }, c.duration + 1),
      )[0],
    ).toContain("after the comparison's end");
    expect(errorsOf({ ...c, ops: [...c.ops!].reverse() })[0]).toContain('tick order');
    expect(errorsOf({ ...c, ops: [{ tick: 1, agent: 'nobody', op: 'get', args: { key: 'x' } }] })[0]).toContain(
      'no agent is called "nobody"',
    );
  });
  it('a plain scenario refuses a claim naming a panel', () => {
    const s = load('quorums.json');
    const r = parseScenario({
      ...s,
      lesson: {
        ...s.lesson!,
        steps: [
          {
            tick: 0,
            title: 't',
            text: 't',
            claims: [{ kind: 'down', node: 'shard0', down: false, says: 'x', panel: 'quorum' }],
          },
        ],
      },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.message).toContain('only in a comparison');
  });
  it('a claim is checked on the panel it names: the same claim holds on one and not another', () => {
    const claim = (panel: string): Claim => ({
      kind: 'outcome',
      agent: 'agent4',
      op: 'set',
      outcome: 'ok',
      says: 'accepted',
      panel,
    });
    const [r] = runComparisonLesson({
      ...c,
      lesson: {
        ...c.lesson!,
        steps: [{ tick: 85, title: 't', text: 't', claims: [claim('gossip'), claim('quorum'), claim('centralized')] }],
      },
    });
    expect(r!.claims.map((x) => x.holds)).toEqual([true, false, false]);
  });
});
