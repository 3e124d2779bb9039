import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { builtinComparison, crashComparison, noPartitionComparison } from '../../sim/compare/constants';
import { placementOf } from '../../sim/compare/build';
import {
  addStep,
  applyDraft,
  draftOf,
  fieldOf,
  removeStep,
  setGroupSize,
  setPlacement,
  setWorkload,
  sortSteps,
  STEP_KINDS,
  updateStep,
  type Draft,
  type DraftStep,
} from './edit';
import { parseComparisonText } from '../../sim/compare/validate';
import capLesson from '../../../lessons/cap-one-partition.json';
import { runs } from '../../sim/core/fuzz.testkit';

const base = builtinComparison();

describe('the comparison editor model', () => {
  it('applies an untouched draft to the same comparison, named after its schedule', () => {
    for (const c of [builtinComparison(), noPartitionComparison(), crashComparison()]) {
      const r = applyDraft(c, draftOf(c));
      if (!r.ok) throw new Error(r.errors.join('\n'));
      expect({ ...r.comparison, name: c.name }).toEqual({
        ...c,
        panels: c.panels.map((p) => ({
          ...p,
          placement: Object.fromEntries(placementOf(c, p).map((x) => [x.server, x.group])),
        })),
      });
    }
    const r = applyDraft(base, draftOf(base));
    expect(r.ok && r.comparison.name).toBe('west | east cut at 200, heal at 500');
    const named = applyDraft(base, { ...draftOf(base), name: '  Mine ' });
    expect(named.ok && named.comparison.name).toBe('Mine');
  });

  it('moves the centralized store to the east and changes the schedule', () => {
    let d = draftOf(base);
    d = setPlacement(d, 0, 'store', 'east');
    d = { ...d, duration: '300' };
    const [cut, heal, quiesce] = d.steps;
    d = updateStep(d, cut!.id, { tick: '50' });
    d = updateStep(d, heal!.id, { tick: '200' });
    d = removeStep(d, quiesce!.id);
    const r = applyDraft(base, d);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.comparison.duration).toBe(300);
    expect(r.comparison.faults).toEqual([
      { tick: 50, type: 'cut', a: 'west', b: 'east' },
      { tick: 200, type: 'heal' },
    ]);
    expect(placementOf(r.comparison, r.comparison.panels[0]!)).toEqual([{ server: 'store', group: 'east' }]);
    // The other panels keep their places.
    expect(placementOf(r.comparison, r.comparison.panels[1]!)).toEqual(placementOf(base, base.panels[1]!));
  });

  it('keeps steps in tick order, stable on ties, and applies the sorted draft', () => {
    const step = (id: number, tick: string): DraftStep => ({
      id,
      tick,
      kind: 'heal',
      a: 'west',
      b: 'east',
      group: 'east',
    });
    expect(
      sortSteps([step(0, '30'), step(1, '10'), step(2, 'x'), step(3, '10'), step(4, '5')]).map((s) => s.id),
    ).toEqual([4, 1, 3, 0, 2]);
    let d = draftOf(base);
    d = updateStep(d, d.steps[2]!.id, { tick: '100', kind: 'crash', group: 'east' });
    d = updateStep(d, d.steps[1]!.id, { kind: 'recover', group: 'east' });
    const r = applyDraft(base, d);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.comparison.faults.map((f) => f.type)).toEqual(['crash', 'cut', 'recover']);
    expect(r.draft.steps.map((s) => s.tick)).toEqual(['100', '200', '500']);
  });

  it('adds a step after the last, within the duration', () => {
    const d = addStep(draftOf(base), base);
    expect(d.steps.at(-1)).toMatchObject({ id: 3, tick: '700', kind: 'heal' });
    const e = addStep({ ...draftOf(base), steps: [] }, base);
    expect(e.steps).toEqual([{ id: 0, tick: '0', kind: 'cut', a: 'west', b: 'east', group: 'east' }]);
    const late = addStep({ ...draftOf(base), duration: '660' }, base);
    expect(late.steps.at(-1)!.tick).toBe('660');
  });

  it('says what is wrong, in the form’s words, and builds nothing', () => {
    const d = draftOf(base);
    const bad = (draft: Draft): string[] => {
      const r = applyDraft(base, draft);
      expect(r.ok).toBe(false);
      return r.ok ? [] : r.errors;
    };
    expect(bad({ ...d, seed: '' })).toEqual(['Seed: write a number']);
    expect(bad({ ...d, seed: 'abc' })).toEqual(['Seed: "abc" is not a number']);
    expect(bad({ ...d, duration: '2.5' })).toEqual(['Duration: write a whole number (not 2.5)']);
    expect(bad({ ...d, loss: '2' })[0]).toMatch(/^Message loss: /);
    expect(bad({ ...d, latency: '0' })[0]).toMatch(/^Network latency: /);
    // A tick beyond the duration: the validator's own message, on the step that has it.
    expect(bad({ ...d, duration: '600' })).toEqual(["Step 3 tick: tick 650 is after the comparison's end (600)"]);
    // Heal before cut: after sorting, the heal comes first.
    expect(bad(updateStep(d, d.steps[1]!.id, { tick: '40' }))).toEqual([
      'Step 1: a heal at tick 40, but no cut comes before it (cuts must come before their heal)',
    ]);
    expect(bad(updateStep(d, d.steps[0]!.id, { kind: 'recover', group: 'east' }))[0]).toBe(
      'Step 1: east recovers at tick 200, but no crash of east comes before it',
    );
    expect(bad(updateStep(d, d.steps[0]!.id, { b: 'west' }))).toEqual(['Step 1: a group cannot be cut from itself']);
    expect(bad(setPlacement(d, 0, 'store', 'north'))).toEqual(['Centralized store, store: no group is called "north"']);
    expect(bad({ ...d, duration: '100001' })).toEqual([expect.stringMatching(/^Duration: \S/)]);
  });

  it('changes the workload: agents per group, keys, interval and mix, for every agent', () => {
    let d = setGroupSize(draftOf(base), 1, '1');
    d = setGroupSize(d, 0, '4');
    d = setWorkload(d, { keys: 'x, x  y', interval: '5', mix: { delete: '0' } });
    const r = applyDraft(base, d);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const c = r.comparison;
    // The west keeps its three and gains the first free name; the east keeps its first.
    expect(c.groups).toEqual([
      { id: 'west', agents: ['agent1', 'agent2', 'agent3', 'agent5'] },
      { id: 'east', agents: ['agent4'] },
    ]);
    expect(c.agents.map((a) => a.id)).toEqual(['agent1', 'agent2', 'agent3', 'agent4', 'agent5']);
    for (const a of c.agents) {
      expect(a.workload).toEqual({
        kind: 'random',
        keys: ['x', 'x', 'y'],
        interval: 5,
        mix: { get: 5, set: 4, delete: 0, update: 1 },
      });
      expect([a.timeout, a.retryEvery]).toEqual([30, 0]);
    }
  });

  it('leaves each agent its own workload while the workload fields are untouched', () => {
    const mixed = {
      ...base,
      agents: base.agents.map((a, i) => (i === 0 ? { ...a, workload: { kind: 'idle' as const } } : a)),
    };
    const grown = applyDraft(mixed, setGroupSize(draftOf(mixed), 1, '4'));
    if (!grown.ok) throw new Error(grown.errors.join('\n'));
    expect(grown.comparison.agents[0]!.workload).toEqual({ kind: 'idle' });
    // The new agent runs the workload the form shows: the first random one.
    expect(grown.comparison.agents.at(-1)).toEqual({ ...base.agents[1]!, id: 'agent7' });
    expect(grown.comparison.groups[1]!.agents).toEqual(['agent4', 'agent5', 'agent6', 'agent7']);
    // Touch it and every agent runs it, the idle one too.
    const same = applyDraft(mixed, setWorkload(draftOf(mixed), { interval: '12' }));
    expect(
      same.ok && same.comparison.agents.every((a) => a.workload.kind === 'random' && a.workload.interval === 12),
    ).toBe(true);
  });

  it('says what is wrong with a workload, once, in the form’s words', () => {
    const d = draftOf(base);
    const errs = (draft: Draft): string[] => {
      const r = applyDraft(base, draft);
      return r.ok ? [] : r.errors;
    };
    expect(errs(setGroupSize(d, 1, '-1'))).toEqual(['Agents in east: write 0 or more']);
    expect(errs(setGroupSize(setGroupSize(d, 1, '0'), 0, '0'))).toEqual([
      'Agents: the comparison needs at least one agent',
    ]);
    expect(errs(setGroupSize(d, 0, '1e9'))).toEqual(['Agents: at most 200 in all (1000000003 asked)']);
    expect(errs(setGroupSize(d, 0, 'many'))).toEqual(['Agents in west: "many" is not a number']);
    expect(errs(setWorkload(d, { keys: ' , ' }))).toEqual(['Keys: write at least one key']);
    expect(errs(setWorkload(d, { interval: '0' }))).toEqual([expect.stringMatching(/^Mean interval: \S/)]);
    expect(errs(setWorkload(d, { mix: { get: '0', set: '0', delete: '0', update: '0' } }))).toEqual([
      'Mix: the mix needs at least one operation',
    ]);
    expect(errs(setWorkload(d, { keys: 'x'.repeat(500) }))).toEqual([expect.stringMatching(/^Keys: \S/)]);
    // A group emptied of the agent a scripted operation names: the operation is named.
    const lesson = parseComparisonText(JSON.stringify(capLesson));
    if (!lesson.ok) throw new Error('the CAP lesson does not parse');
    const c = lesson.comparison;
    const op = c.ops![0]!;
    const g = c.groups.findIndex((x) => x.agents.includes(op.agent));
    const r = applyDraft(c, setGroupSize(draftOf(c), g, '0'));
    expect(r.ok ? [] : r.errors).toContain(
      `Scripted operation 1 (${op.op} by ${op.agent} at tick ${op.tick}): no agent is called "${op.agent}"`,
    );
  });

  it('names the form field for every validator path', () => {
    expect(fieldOf('', base)).toBe('The comparison');
    expect(fieldOf('faults.2.b', base)).toBe('Step 3 second group');
    expect(fieldOf('panels.4.placement.r1', base)).toBe('Gossip, LWW map, r1');
    expect(fieldOf('panels.9.placement.r1', base)).toBe('A panel');
    expect(fieldOf('network.jitter', base)).toBe('Network');
  });

  // Anything the form can hold: typed text in every field, any kind, any group (hostile names too).
  it('validates any draft the form can produce or says why, never throwing', () => {
    const text = fc.oneof(
      fc.integer({ min: -10, max: 2000 }).map(String),
      fc.constantFrom('', ' ', '1e3', '0.5', 'NaN', 'Infinity', '-0', '1e400', '__proto__'),
      fc.string({ maxLength: 8 }),
    );
    const group = fc.constantFrom('west', 'east', '', '__proto__', 'constructor', 'north');
    const step = fc.record({
      tick: text,
      kind: fc.constantFrom(...STEP_KINDS.map((k) => k.kind)),
      a: group,
      b: group,
      group,
    });
    const draftArb = fc.record({
      name: fc.string({ maxLength: 200 }),
      seed: text,
      duration: text,
      latency: text,
      loss: fc.oneof(text, fc.constantFrom('0.1', '1', '0')),
      steps: fc.array(step, { maxLength: 6 }),
      moves: fc.array(
        fc.record({
          panel: fc.integer({ min: 0, max: 6 }),
          server: fc.constantFrom('store', 'log', 'proj1', 'shard2', 'coordinator', 'r1', '__proto__'),
          group,
        }),
        { maxLength: 4 },
      ),
      sizes: fc.array(fc.oneof(fc.integer({ min: -1, max: 8 }).map(String), text), { minLength: 2, maxLength: 2 }),
      keys: fc.oneof(fc.constantFrom('x, y, z', 'x', '__proto__, constructor', ' , '), fc.string({ maxLength: 40 })),
      interval: fc.oneof(fc.constantFrom('10', '1'), text),
      mix: fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }).map(String), text), { minLength: 4, maxLength: 4 }),
    });
    fc.assert(
      fc.property(draftArb, (g) => {
        let d: Draft = {
          ...draftOf(base),
          name: g.name,
          seed: g.seed,
          duration: g.duration,
          latency: g.latency,
          loss: g.loss,
          steps: g.steps.map((s, id) => ({ ...s, id })),
        };
        for (const m of g.moves) d = setPlacement(d, m.panel, m.server, m.group);
        d = setGroupSize(setGroupSize(d, 0, g.sizes[0]!), 1, g.sizes[1]!);
        d = setWorkload(d, {
          keys: g.keys,
          interval: g.interval,
          mix: { get: g.mix[0]!, set: g.mix[1]!, delete: g.mix[2]!, update: g.mix[3]! },
        });
        const r = applyDraft(base, d);
        if (r.ok) {
          expect(r.comparison.faults.map((f) => f.tick)).toEqual(
            [...r.comparison.faults.map((f) => f.tick)].sort((x, y) => x - y),
          );
          expect(r.comparison.groups.map((x) => String(x.agents.length))).toEqual(
            g.sizes.map((n) => String(Number(n.trim()))),
          );
          expect(new Set(r.comparison.agents.map((a) => a.id)).size).toBe(r.comparison.agents.length);
        } else {
          expect(r.errors.length).toBeGreaterThan(0);
          for (const e of r.errors) expect(e).toMatch(/^[A-Z].*: \S/);
        }
        expect(r.draft.steps).toHaveLength(d.steps.length);
      }),
      { numRuns: runs(300) },
    );
  });

  it("regression (fast-check, 5,000 runs): a recovery with no group gets the validator's message, not a sentence with a blank name", () => {
    const d: Draft = {
      ...draftOf(base),
      duration: '0',
      latency: '0',
      steps: [{ id: 0, tick: '0', kind: 'recover', a: 'west', b: 'west', group: '' }],
    };
    const r = applyDraft(base, d);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toContain('Step 1 group: Too small: expected string to have >=1 characters');
    for (const e of r.errors) expect(e).toMatch(/^[A-Z].*: \S/);
  });
});
