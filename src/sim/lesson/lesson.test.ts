import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario, parseScenarioText } from '../scenario/validate';
import type { Scenario } from '../scenario/schema';
import { runLesson, stepAt } from './run';
import type { Claim } from './schema';

const DIR = resolve(process.cwd(), 'lessons');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

function load(file: string): Scenario {
  const r = parseScenarioText(readFileSync(resolve(DIR, file), 'utf8'));
  if (!r.ok) throw new Error(`${file}: ${JSON.stringify(r.errors)}`);
  return r.scenario;
}

describe('every lesson in lessons/', () => {
  it('there are lessons, with distinct ids matching their file names', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(`${load(f).lesson?.id}.json`).toBe(f);
  });

  for (const f of files) {
    it(`${f}: runs from start to end, and every claim holds at its step`, () => {
      const s = load(f);
      const reports = runLesson(s);
      expect(reports.length).toBe(s.lesson!.steps.length);
      expect(reports.at(-1)!.step.tick).toBe(s.duration);
      const failed = reports.flatMap((r) => r.claims.filter((c) => !c.holds).map((c) => `step ${r.index + 1}: ${c.claim.says} — measured: ${c.measured}`));
      expect(failed).toEqual([]);
      // The last step sums up what was measured.
      expect(reports.at(-1)!.claims.length).toBeGreaterThan(0);
    });
  }
});

describe('claims can fail', () => {
  const s = load('single-source-of-truth.json');
  const negate = (c: Claim): Claim => {
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
      case 'anomaly':
        return c.atMost !== undefined ? { ...c, atLeast: c.atMost + 1, atMost: undefined } : { ...c, atLeast: 0, atMost: Math.max(0, (c.atLeast ?? 1) - 1) };
    }
  };
  it('the opposite of every claim in the lesson is reported as not holding', () => {
    const flipped: Scenario = {
      ...s,
      lesson: { ...s.lesson!, steps: s.lesson!.steps.map((st) => (st.claims ? { ...st, claims: st.claims.map(negate) } : st)) },
    };
    const results = runLesson(flipped).flatMap((r) => r.claims);
    expect(results.length).toBeGreaterThan(5);
    for (const r of results) expect(r.holds, `${r.claim.says}: ${r.measured}`).toBe(false);
  });
});

describe('the lesson format refuses what would mislead', () => {
  const s = load('single-source-of-truth.json');
  const withLesson = (patch: (l: NonNullable<Scenario['lesson']>) => unknown): unknown => ({ ...s, lesson: patch(structuredClone(s.lesson!)) });
  it('an answer that is not one of the choices', () => {
    const r = parseScenario(withLesson((l) => ({ ...l, steps: [{ ...l.steps[0], question: { prompt: 'p', choices: ['a', 'b'], answer: 3, explain: 'e' } }] })));
    expect(r.ok).toBe(false);
  });
  it('steps out of tick order, or after the end', () => {
    expect(parseScenario(withLesson((l) => ({ ...l, steps: [...l.steps].reverse() }))).ok).toBe(false);
    const late = parseScenario(withLesson((l) => ({ ...l, steps: [{ ...l.steps[0], tick: s.duration + 1 }] })));
    expect(late.ok).toBe(false);
    if (!late.ok) expect(late.errors[0]!.message).toContain("after the scenario's end");
  });
  it('a claim about a node the scenario does not have', () => {
    const r = parseScenario(withLesson((l) => ({ ...l, steps: [{ ...l.steps[0], claims: [{ kind: 'down', node: 'nobody', down: true, says: 'x' }] }] })));
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
