import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { semanticErrors } from '../scenario/validate';
import { parseScenario } from '../scenario/validate';
import { buildScenario, cutAt, nodesOf, placementOf, windowsOf } from './build';
import { builtinComparisons, builtinComparison, type Comparison } from './constants';
import { parseComparison, parseComparisonText } from './validate';
import { divergentKeys } from './run';
import { initWorld } from '../engine/engine';
import { implications, percentile, type Models } from './scoreboard';
import { availabilityStars, scalabilityStars } from './reference';
import { runs } from '../core/fuzz.testkit';

describe('the comparison format', () => {
  it('accepts every built-in comparison, and each panel is an ordinary valid scenario', () => {
    for (const b of builtinComparisons) {
      const c = b.make();
      const r = parseComparison(JSON.parse(JSON.stringify(c)));
      expect(r.ok, b.id).toBe(true);
      for (const p of c.panels) expect(parseScenario(buildScenario(c, p)).ok, `${b.id} ${p.id}`).toBe(true);
    }
  });

  it('scripted operations join the faults in tick order on every panel (faults first at a tick); without them, the actions are the faults alone', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 800 }), { maxLength: 30 }), (ticks) => {
        const base = builtinComparison();
        const ops = [...ticks]
          .sort((a, b) => a - b)
          .map((tick, i) => ({ tick, agent: 'agent1', op: 'get', args: { key: `k${i}` } }));
        const c: Comparison = { ...base, ops };
        for (const p of c.panels) {
          const plain = buildScenario(base, p).actions;
          const acts = buildScenario(c, p).actions;
          expect(acts.length).toBe(plain.length + ops.length);
          expect(acts.filter((a) => a.type !== 'op')).toEqual(plain);
          expect(acts.filter((a) => a.type === 'op').map((a) => (a.type === 'op' ? a.args['key'] : null))).toEqual(
            ops.map((o) => o.args.key),
          );
          acts.forEach((a, i) => {
            const prev = acts[i - 1];
            if (prev)
              expect(prev.tick < a.tick || (prev.tick === a.tick && (prev.type !== 'op' || a.type === 'op'))).toBe(
                true,
              );
          });
          expect(parseScenario(buildScenario(c, p)).ok).toBe(true);
        }
        expect(buildScenario({ ...base, ops: [] }, base.panels[0]!)).toEqual(buildScenario(base, base.panels[0]!));
      }),
      { numRuns: runs(12) },
    );
  });

  it('refuses what the schema cannot say, with clear messages', () => {
    const bad = (f: (c: Comparison) => void): string => {
      const c = builtinComparison();
      f(c);
      const r = parseComparison(JSON.parse(JSON.stringify(c)));
      expect(r.ok).toBe(false);
      return r.ok ? '' : r.errors.map((e) => `${e.path}: ${e.message}`).join('\n');
    };
    expect(bad((c) => c.faults.push({ tick: 300, type: 'cut', a: 'west', b: 'north' }))).toMatch(
      /no group is called "north"/,
    );
    expect(bad((c) => c.faults.unshift({ tick: 700, type: 'heal' }))).toMatch(/tick order/);
    expect(bad((c) => c.groups[0]!.agents.push('agent9'))).toMatch(/no agent is called "agent9"/);
    expect(bad((c) => c.groups[1]!.agents.push('agent1'))).toMatch(/in two groups/);
    expect(bad((c) => (c.panels[0]!.placement = { storage: 'west' }))).toMatch(/no server called "storage"/);
    expect(bad((c) => (c.panels[0]!.placement = { store: 'moon' }))).toMatch(/no group is called "moon"/);
    expect(bad((c) => (c.duration = 100))).toMatch(/after the comparison's end/);
  });

  it('turns hostile or broken text into errors, never a crash', () => {
    for (const text of ['', '{', 'null', '[]', '{"format":1}', '{"__proto__":{"polluted":1}}']) {
      const r = parseComparisonText(text);
      expect(r.ok).toBe(false);
    }
    const withProtoKey = JSON.parse('{"placement":{"__proto__":"west"}}') as { placement: unknown };
    const c = {
      ...builtinComparison(),
      panels: [
        {
          id: 'p',
          label: 'x',
          architecture: { kind: 'centralized', serviceTime: 1 },
          placement: withProtoKey.placement,
        },
      ],
    };
    expect(parseComparison(c).ok).toBe(false);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('maps a group cut onto every node of both groups, whatever the placement (property)', () => {
    const base = builtinComparison();
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), (sides) => {
        const c: Comparison = {
          ...base,
          panels: base.panels.map((p, i) => ({
            ...p,
            placement: Object.fromEntries(
              placementOf(base, p).map((x, j) => [x.server, sides[(i + j) % 8] ? 'west' : 'east']),
            ),
          })),
        };
        for (const p of c.panels) {
          const s = buildScenario(c, p);
          expect(semanticErrors(s)).toEqual([]);
          const cut = s.actions.find((a) => a.type === 'partition');
          expect(cut?.type === 'partition' ? cut.groups : null).toEqual([nodesOf(c, p, 'west'), nodesOf(c, p, 'east')]);
          const all = new Set([...nodesOf(c, p, 'west'), ...nodesOf(c, p, 'east')]);
          expect(all.size).toBe(c.agents.length + placementOf(c, p).length);
          // Gossip agents talk to a replica of their own group.
          if (s.architecture.kind === 'gossip' && s.architecture.attach) {
            for (const g of c.groups)
              for (const a of g.agents) {
                const r = s.architecture.attach[a];
                if (r !== undefined) expect(placementOf(c, p).find((x) => x.server === r)?.group).toBe(g.id);
              }
          }
        }
      }),
      { numRuns: runs(12) },
    );
  });

  it('windows and cuts follow the schedule', () => {
    const c = builtinComparison();
    expect(windowsOf(c).map((w) => [w.name, w.from, w.to])).toEqual([
      ['before', 0, 200],
      ['during', 200, 500],
      ['after', 500, 801],
    ]);
    expect(cutAt(c, 199)).toEqual([]);
    expect(cutAt(c, 200)).toEqual([['west', 'east']]);
    expect(cutAt(c, 500)).toEqual([]);
  });
});

describe('measures', () => {
  it('no key diverges before anything happened', () => {
    for (const p of builtinComparison().panels)
      expect(divergentKeys(initWorld(buildScenario(builtinComparison(), p)))).toEqual([]);
  });

  it('percentiles by nearest rank', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4], 0.99)).toBe(4);
    expect(percentile([7], 0.99)).toBe(7);
  });

  it('star bands are monotone', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(availabilityStars(lo)).toBeLessThanOrEqual(availabilityStars(hi));
        expect(scalabilityStars(lo)).toBeGreaterThanOrEqual(scalabilityStars(hi));
      }),
    );
  });

  it('completes the models from the chain linearizable ⇒ sequential ⇒ causal ⇒ each session guarantee (property)', () => {
    const verdict = fc.constantFrom<true | false | 'unknown'>(true, false, 'unknown');
    const guarantees = ['read-your-writes', 'monotonic-reads', 'monotonic-writes', 'writes-follow-reads'] as const;
    fc.assert(
      fc.property(
        verdict,
        verdict,
        verdict,
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        (linearizable, sequential, causal, holds) => {
          const base: Models = {
            linearizable,
            sequential,
            causal,
            'read-your-writes': holds[0]!,
            'monotonic-reads': holds[1]!,
            'monotonic-writes': holds[2]!,
            'writes-follow-reads': holds[3]!,
          };
          const { models: m, implied } = implications(base);
          // Never "causal" beside a failed guarantee, never "sequential" beside "not causal" unless a search said so.
          if (guarantees.some((g) => !base[g])) expect(m.causal).toBe(false);
          if (m.causal === false && sequential === 'unknown') expect(m.sequential).toBe(false);
          if (linearizable === true && sequential === 'unknown' && m.causal !== false) expect(m.sequential).toBe(true);
          // Only an undecided verdict is filled in, except causal, which the versions can refute.
          expect(m.linearizable).toBe(linearizable);
          if (sequential !== 'unknown') expect(m.sequential).toBe(sequential);
          if (causal === false) expect(m.causal).toBe(false);
          for (const g of guarantees) expect(m[g]).toBe(base[g]);
          // Each change says why.
          expect(implied.causal !== undefined).toBe(m.causal !== causal);
          expect(implied.sequential !== undefined).toBe(m.sequential !== sequential);
        },
      ),
    );
    expect(
      implications({
        linearizable: false,
        sequential: 'unknown',
        causal: true,
        'read-your-writes': false,
        'monotonic-reads': true,
        'monotonic-writes': true,
        'writes-follow-reads': true,
      }).implied.causal,
    ).toBe('read your writes fails, and causal consistency implies every session guarantee');
  });
});
