import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../core/hash';
import type { Scenario } from '../scenario/schema';
import { grade, gradeAttempt } from './grade';
import { decodeReceipt, encodeReceipt, makeReceipt } from './receipt';
import { parseChallengeText } from './schema';
import { SOLUTIONS, solve } from './solutions.testkit';
import type { ChallengeFile } from './types';

const dir = join(process.cwd(), 'challenges');
const files: ChallengeFile[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => {
    const p = parseChallengeText(readFileSync(join(dir, f), 'utf8'));
    if (!p.ok) throw new Error(`${f}: ${p.error}`);
    return p.file;
  });
const byId = (id: string): ChallengeFile => {
  const f = files.find((x) => x.challenge.id === id);
  if (f === undefined) throw new Error(`no challenge ${id}`);
  return f;
};

describe('the built-in challenges', () => {
  it('a ladder of at least 8, across the four architectures, every kind, levels in order', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
    expect(new Set(files.map((f) => f.scenario.architecture.kind))).toEqual(
      new Set(['centralized', 'event-sourcing', 'partitioned', 'gossip']),
    );
    expect(new Set(files.map((f) => f.challenge.kind))).toEqual(new Set(['break', 'keep', 'unbreakable']));
    expect(new Set(files.map((f) => f.challenge.level)).size).toBe(files.length);
    for (const f of files) expect(f.challenge.hints.length).toBeGreaterThanOrEqual(2);
  });

  for (const f of files) {
    const c = f.challenge;
    it(`${c.id}: the unmodified start fails, the known solution passes${c.kind === 'break' ? ' within par' : ''}`, () => {
      expect(grade(f, f.scenario).verdict).toBe('fail');
      const sol = SOLUTIONS[c.id];
      expect(sol, `a known solution for ${c.id}`).toBeDefined();
      if (sol === undefined) return;
      const g = grade(f, solve(f.scenario, sol));
      expect(g.verdict, g.reason).toBe('pass');
      if (c.kind === 'break') {
        expect(g.withinPar).toBe(true);
        expect(g.witness?.explanation.length).toBeGreaterThan(20);
      }
      if (c.kind === 'keep') expect(g.knobsThatMattered).toEqual(sol.mattered);
      if (c.kind === 'unbreakable') expect(g.reason).toMatch(/What it gave up instead: .*% of \d+ operations answered/);
    });
  }

  it('grading is deterministic: the same attempt, the same grade and hash', () => {
    for (const f of files) {
      const attempt = solve(f.scenario, SOLUTIONS[f.challenge.id] ?? {});
      expect(canonicalJson(grade(f, attempt) as never)).toBe(canonicalJson(grade(f, attempt) as never));
    }
  });
});

describe('what an attempt may not do', () => {
  const f = byId('stale-read');
  const sol = solve(f.scenario, SOLUTIONS['stale-read'] ?? {});

  it('spend more than the budget', () => {
    const three: Scenario = {
      ...sol,
      actions: [
        ...sol.actions,
        { tick: 120, type: 'crash' as const, node: 'shard0' },
        { tick: 130, type: 'crash' as const, node: 'shard1' },
      ].sort((a, b) => a.tick - b.tick),
    };
    expect(grade(f, three)).toMatchObject({ verdict: 'fail', reason: expect.stringContaining('over the budget of 2') });
  });

  it('change what the challenge fixes, or use a fault it leaves out', () => {
    const r2 = { ...sol, architecture: { ...sol.architecture, readQuorum: 2 } } as Scenario;
    expect(grade(f, r2).reason).toContain("changes the architecture's readQuorum, which this challenge fixes");
    expect(grade(f, { ...sol, seed: 8 }).reason).toContain("changes the scenario's seed");
    const agents = { ...sol, agents: sol.agents.map((a) => ({ ...a, timeout: 1000 })) };
    expect(grade(f, agents).reason).toContain('changes the agents or their workloads');
    const part: Scenario = {
      ...sol,
      actions: [
        ...sol.actions,
        { tick: 150, type: 'heal-all' },
        { tick: 190, type: 'partition', groups: [['shard0'], ['shard1']] },
      ],
    };
    expect(grade(f, part).reason).toContain('adds a partition action, which this challenge does not allow');
    const late: Scenario = {
      ...sol,
      actions: [...sol.actions, { tick: 200, type: 'op', agent: 'agent1', op: 'get', args: { key: 'x' } }],
    };
    expect(grade(f, late).reason).toContain('over the budget of 0');
    const gone: Scenario = { ...sol, actions: sol.actions.filter((a) => a.type !== 'op' || a.tick !== 60) };
    expect(grade(f, gone).reason).toContain("removes one of the scenario's own actions");
  });

  it('keep-it: the fault schedule is fixed', () => {
    const k = byId('keep-fresh');
    const healed: Scenario = { ...k.scenario, actions: k.scenario.actions.filter((a) => a.type !== 'partition') };
    expect(grade(k, healed).reason).toContain('changes the fault schedule');
  });

  it('unbreakable: a crash that loses the disk is outside the budget', () => {
    const u = byId('unbreakable-store');
    const lost: Scenario = { ...u.scenario, actions: [{ tick: 100, type: 'crash', node: 'store', disk: 'lost' }] };
    expect(grade(u, lost).reason).toContain('loses its disk');
  });
});

describe('receipts', () => {
  const f = byId('stale-read');
  const attempt = solve(f.scenario, SOLUTIONS['stale-read'] ?? {});
  const g = grade(f, attempt);
  const link = `https://example.org/statelab/#${encodeReceipt(makeReceipt(f.challenge, attempt, g.hash))}`;
  const regrade = (text: string) => {
    const d = decodeReceipt(text);
    if (!d.ok) return { verdict: 'fail', reason: d.error };
    const r = d.receipt;
    return gradeAttempt(
      files,
      r.challenge,
      r.version,
      r.scenario,
      r.hash === undefined ? undefined : { hash: r.hash, engine: r.engine },
    );
  };
  const forge = (edit: (raw: Record<string, unknown>) => void): string => {
    const raw = JSON.parse(JSON.stringify(makeReceipt(f.challenge, attempt, g.hash))) as Record<string, unknown>;
    edit(raw);
    return `#${encodeReceipt(raw as never)}`;
  };

  it('a receipt replays and re-grades to the same verdict and hash', () => {
    expect(regrade(link)).toMatchObject({ verdict: 'pass', hash: g.hash, challenge: 'stale-read' });
  });

  it('forged receipts fail, each with its reason', () => {
    expect(regrade(forge((r) => (r['verdict'] = 'pass'))).reason).toContain('Unrecognized key');
    expect(regrade(forge((r) => ((r['scenario'] as Scenario).seed = 99))).reason).toContain(
      "changes the scenario's seed",
    );
    expect(regrade(forge((r) => (r['hash'] = '0'.repeat(64)))).reason).toContain("the receipt's hash does not match");
    expect(regrade(forge((r) => (r['version'] = 0))).reason).toContain('version');
    expect(regrade(forge((r) => (r['challenge'] = '<script>alert(1)</script>'))).reason).toContain(
      'there is no challenge',
    );
    expect(regrade(forge((r) => (r['v'] = 2))).reason).toContain('newer StateLab');
    expect(regrade(forge((r) => (r['v'] = 1.5))).reason).toContain('no valid version');
    expect(regrade(`${link.slice(0, -10)}`).verdict).toBe('fail');
    expect(regrade('#s=z:abc').reason).toContain('share link, not a receipt');
  });

  it('an older version of a changed challenge fails, saying so', () => {
    const old = gradeAttempt(files, 'stale-read', 99, attempt);
    expect(old).toMatchObject({ verdict: 'fail' });
    expect(old.reason).toContain('made for version 99 of this challenge, which has changed');
  });
});

describe('counting faults', () => {
  it('a link cut both ways at one tick is one fault; heals and recoveries are free', () => {
    const f = byId('stale-read');
    const both: Scenario = {
      ...f.scenario,
      actions: [
        ...f.scenario.actions,
        { tick: 50, type: 'cut-link' as const, from: 'coordinator', to: 'shard2' },
        { tick: 50, type: 'cut-link' as const, from: 'shard2', to: 'coordinator' },
        { tick: 80, type: 'heal-link' as const, from: 'coordinator', to: 'shard2' },
        { tick: 80, type: 'heal-link' as const, from: 'shard2', to: 'coordinator' },
      ].sort((a, b) => a.tick - b.tick),
    };
    const g = grade(f, both);
    expect(g).toMatchObject({ verdict: 'pass', faults: 1, withinPar: true });
  });
});
