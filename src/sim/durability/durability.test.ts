import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashValue } from '../core/hash';
import { advance, initWorld, worldAt, worldHash } from '../engine/engine';
import { getArchitecture } from '../architectures/registry';
import {
  eventSourcingScenario,
  faultsScenario,
  gossipScenario,
  partitionedScenario,
  defaultScenario,
} from '../scenario/builtins';
import { scenarioArb } from '../scenario/arbitrary.testkit';
import { linearizable } from '../architectures/conformance.testkit';
import type { Action, DiskMode, Scenario } from '../scenario/schema';
import { parseScenario } from '../scenario/validate';
import type { World } from '../engine/types';
import { chooseBackup, drill, rollForward } from './durability';
import { lostWrites } from './lost';
import { runs } from '../core/fuzz.testkit';

const ARCHS: { kind: string; make: () => Scenario }[] = [
  { kind: 'centralized', make: defaultScenario },
  { kind: 'event-sourcing', make: eventSourcingScenario },
  { kind: 'partitioned', make: partitionedScenario },
  { kind: 'gossip', make: gossipScenario },
];

function serversOf(s: Scenario): string[] {
  return getArchitecture(s.architecture.kind).serverIds(s.architecture);
}

/** A built-in scenario cut short, with backups, a WAL or not, and a random crash schedule. */
const runArb = fc
  .record({
    arch: fc.integer({ min: 0, max: ARCHS.length - 1 }),
    seed: fc.nat({ max: 0xffff_ffff }),
    wal: fc.boolean(),
    flushEvery: fc.integer({ min: 1, max: 30 }),
    backupEvery: fc.integer({ min: 10, max: 60 }),
    faults: fc.array(
      fc.tuple(
        fc.integer({ min: 1, max: 159 }),
        fc.nat({ max: 31 }),
        fc.constantFrom<DiskMode>('kept', 'unflushed-lost', 'lost'),
        fc.integer({ min: 2, max: 25 }),
      ),
      { maxLength: 4 },
    ),
    restoreAt: fc.integer({ min: 100, max: 160 }),
    node: fc.nat({ max: 31 }),
    target: fc.nat({ max: 1000 }),
    restoreMid: fc.boolean(),
  })
  .map((r) => {
    const base = ARCHS[r.arch]!.make();
    const servers = serversOf(base);
    const actions: Action[] = r.faults
      .flatMap(([t, n, disk, down]): Action[] => {
        const node = servers[n % servers.length]!;
        return [
          { tick: t, type: 'crash', node, disk },
          { tick: t + down, type: 'recover', node },
        ];
      })
      .concat(
        r.restoreMid ? [{ tick: 130, type: 'restore', node: servers[r.node % servers.length]!, target: 100 }] : [],
      )
      .sort((a, b) => a.tick - b.tick);
    const s: Scenario = {
      ...base,
      seed: r.seed,
      duration: 200,
      durability: { wal: r.wal, flushEvery: r.flushEvery, backupEvery: r.backupEvery },
      actions: actions.filter((a) => a.tick <= 200),
    };
    return {
      s,
      node: servers[r.node % servers.length]!,
      restoreAt: r.restoreAt,
      targetSeed: r.target,
      label: ARCHS[r.arch]!.kind,
    };
  });

describe('point-in-time recovery', () => {
  it('restoring to tick t gives the state recorded at t, in every architecture, across crash schedules', () => {
    fc.assert(
      fc.property(runArb, ({ s, node, restoreAt, targetSeed, label }) => {
        expect(parseScenario(s).ok).toBe(true);
        const w = worldAt(s, restoreAt);
        const first = w.durability!.backups.find((b) => b.node === node);
        if (!first) return;
        const target = first.tick + (targetSeed % (restoreAt - first.tick + 1));
        const chosen = chooseBackup(w, node, target, null);
        if ('error' in chosen) throw new Error(chosen.error);
        const restored = rollForward(w, chosen.backup, target);
        const recorded = worldAt(s, target).servers[node]!.state;
        expect(hashValue(restored), `${label}: ${node} restored to ${target} from backup #${chosen.backup.id}`).toBe(
          hashValue(recorded),
        );
      }),
      { numRuns: runs(40) },
    );
  });

  it('a restore action installs that state, lists the acknowledged writes after it, and replays identically', () => {
    const s: Scenario = {
      ...defaultScenario(),
      duration: 300,
      durability: { wal: true, flushEvery: 10, backupEvery: 50 },
      actions: [
        { tick: 200, type: 'crash', node: 'store', disk: 'lost' },
        { tick: 220, type: 'restore', node: 'store', target: 120 },
      ],
    };
    const w = worldAt(s, 220);
    expect(w.actionErrors).toEqual([]);
    const ev = w.durability!.events.find((e) => e.kind === 'restore');
    expect(ev).toMatchObject({ node: 'store', target: 120, backup: 3 });
    const arch = getArchitecture('centralized');
    const data = (w.servers['store']!.state as { data: unknown }).data;
    expect(data).toEqual((worldAt(s, 120).servers['store']!.state as { data: unknown }).data);
    const lost = lostWrites(w.history, arch, w.arch, 'store', 120, 200);
    expect(lost.filter((l) => l.certain).length).toBeGreaterThan(0);
    for (const l of lost) expect(l.completedAt).toBeGreaterThan(120);
    expect(worldHash(worldAt(s, 300))).toBe(worldHash(worldAt(s, 300)));
  });

  it('a disk lost without a restore comes back empty; a restore needs a backup at or before its target', () => {
    const s: Scenario = {
      ...defaultScenario(),
      duration: 200,
      actions: [
        { tick: 100, type: 'crash', node: 'store', disk: 'lost' },
        { tick: 110, type: 'recover', node: 'store' },
        { tick: 120, type: 'restore', node: 'store', target: 90 },
      ],
    };
    const w = worldAt(s, 120);
    expect((w.servers['store']!.state as { data: object }).data).toEqual({});
    expect(w.actionErrors.map((e) => e.reason)).toEqual([
      'cannot restore store: there is no intact backup of store at or before tick 90',
    ]);
  });
});

describe('the restore drill', () => {
  const s: Scenario = {
    ...faultsScenario(),
    duration: 400,
    durability: { wal: true, flushEvery: 10, backupEvery: 100 },
    actions: faultsScenario().actions.filter((a) => a.tick < 400),
  };

  it('passes on intact backups, checking every later backup and the live state', () => {
    const w = worldAt(s, 390);
    for (const b of w.durability!.backups) {
      const r = drill(w, b);
      expect(r, `backup #${b.id}`).toMatchObject({ ok: true, problem: null });
      expect(r.checked).toBe(w.durability!.backups.filter((x) => x.tick > b.tick).length + 1);
    }
  });

  it('detects a corrupted backup, and a restore skips it for an older intact one', () => {
    const withCorruption: Scenario = {
      ...s,
      actions: [
        ...s.actions,
        { tick: 390, type: 'corrupt-backup', backup: 3 },
        { tick: 390, type: 'restore-drill', node: 'store', backup: 3 },
        { tick: 391, type: 'restore-drill', node: 'store', backup: 2 },
        { tick: 392, type: 'restore', node: 'store', target: 350 },
      ],
    };
    const w = worldAt(withCorruption, 395);
    expect(w.actionErrors).toEqual([]);
    const drills = w.durability!.events.filter((e) => e.kind === 'drill');
    expect(drills[0]).toMatchObject({ ok: false, backup: 3 });
    expect(drills[0]!.kind === 'drill' && drills[0]!.problem).toMatch(/backup #3 fails its checksum/);
    expect(drills[1]).toMatchObject({ ok: true, backup: 2 });
    expect(w.durability!.events.find((e) => e.kind === 'restore')).toMatchObject({ backup: 2, skipped: [3] });
  });

  it('detects a rolled-forward state that does not match (a damaged archive)', () => {
    const w: World = worldAt(s, 390);
    const b = w.durability!.backups[0]!;
    const archive = w.durability!.disks['store']!.archive!;
    const i = archive.findIndex((e, j) => j >= b.archiveAt && e.kind === 'message');
    archive.splice(i, 1);
    const r = drill(w, b);
    expect(r.ok).toBe(false);
    expect(r.problem).toMatch(/not the recorded|not store's/);
  });
});

describe('durability', () => {
  it('with a write-ahead log no acknowledged write is lost across random power-loss schedules (linearizable)', () => {
    fc.assert(
      fc.property(
        scenarioArb({ maxAgents: 3, maxDuration: 200 }),
        fc.integer({ min: 1, max: 40 }),
        (base, flushEvery) => {
          const s: Scenario = {
            ...base,
            durability: { wal: true, flushEvery },
            actions: base.actions.map((a): Action =>
              a.type === 'crash' && a.node === 'store' ? { ...a, disk: 'unflushed-lost' } : a,
            ),
          };
          const w = worldAt(s, s.duration);
          const problem = linearizable(
            { scenario: s, world: w, isolated: new Set<string>() },
            { fracturedReads: true },
          );
          expect(problem).toBeNull();
          const arch = getArchitecture('centralized');
          for (const e of w.durability!.events) {
            if (e.kind === 'crash')
              expect(lostWrites(w.history, arch, w.arch, e.node, e.recoveryPoint, e.tick)).toEqual([]);
          }
        },
      ),
      { numRuns: runs(60) },
    );
  });

  /** A one-agent centralized run with a WAL flushed every tick and the store losing power at `crashAt` (fast-check's counterexamples). */
  const walCrash = (
    seed: number,
    duration: number,
    crashAt: number,
    net: { jitter: number; duplication: number },
    agent: { mix: { get: number; set: number; delete: number; update: number }; timeout: number; retryEvery: number },
  ): Scenario => ({
    format: 1,
    name: 'generated',
    seed,
    duration,
    architecture: { kind: 'centralized', serviceTime: 1 },
    network: { latency: 1, jitter: net.jitter, loss: 0, duplication: net.duplication },
    agents: [
      {
        id: 'agent1',
        workload: { kind: 'random', keys: ['x'], interval: 1, mix: agent.mix },
        timeout: agent.timeout,
        retryEvery: agent.retryEvery,
      },
    ],
    durability: { wal: true, flushEvery: 1 },
    actions: [{ tick: crashAt, type: 'crash', node: 'store', disk: 'unflushed-lost' }],
  });

  it('regression (fast-check seed 128738019): a write acknowledged just after a WAL crash is not listed as lost', () => {
    const w = worldAt(
      walCrash(
        3237981099,
        27,
        5,
        { jitter: 2, duplication: 0 },
        { mix: { get: 3, set: 5, delete: 0, update: 1 }, timeout: 6, retryEvery: 0 },
      ),
      27,
    );
    const e = w.durability!.events[0]!;
    expect(e).toMatchObject({ kind: 'crash', tick: 5, recoveryPoint: 5 });
    expect(w.history.some((r) => r.outcome === 'ok' && r.invokedAt < 5 && r.completedAt! > 5)).toBe(true);
    expect(lostWrites(w.history, getArchitecture('centralized'), w.arch, 'store', 5, 5)).toEqual([]);
  });

  it('regression (fast-check seed -573511479): a reply delayed past a WAL crash does not make its write lost', () => {
    const w = worldAt(
      walCrash(
        1765817328,
        58,
        50,
        { jitter: 2, duplication: 0.5 },
        { mix: { get: 1, set: 2, delete: 0, update: 0 }, timeout: 7, retryEvery: 3 },
      ),
      58,
    );
    // The store never comes back, yet a write is acknowledged after the crash: its reply was in flight.
    expect(w.history.some((r) => r.outcome === 'ok' && r.op === 'set' && r.invokedAt < 50 && r.completedAt! > 51)).toBe(
      true,
    );
    expect(lostWrites(w.history, getArchitecture('centralized'), w.arch, 'store', 50, 50)).toEqual([]);
    // Without the log, the same write may be lost: its window reaches past the last flush.
    expect(
      lostWrites(w.history, getArchitecture('centralized'), w.arch, 'store', 45, 50).some(
        (l) => l.invokedAt === 47 && !l.certain,
      ),
    ).toBe(true);
  });

  it('with a write-ahead log, power loss leaves every architecture as a crash that keeps its disk would', () => {
    fc.assert(
      fc.property(runArb, ({ s, label }) => {
        const walOn: Scenario = { ...s, durability: { ...s.durability!, wal: true } };
        const power: Scenario = {
          ...walOn,
          actions: walOn.actions.map((a): Action =>
            a.type === 'crash' ? { ...a, disk: a.disk === 'lost' ? 'kept' : 'unflushed-lost' } : a,
          ),
        };
        const kept: Scenario = {
          ...walOn,
          actions: walOn.actions.map((a): Action => (a.type === 'crash' ? { ...a, disk: 'kept' } : a)),
        };
        const a = worldAt(power, 200);
        const b = worldAt(kept, 200);
        expect(hashValue(a.servers), label).toBe(hashValue(b.servers));
        expect(hashValue(a.history), label).toBe(hashValue(b.history));
      }),
      { numRuns: runs(25) },
    );
  });

  it('without one, power loss loses the writes since the last flush, and the checker sees it', () => {
    const idle = defaultScenario().agents.map((a) => ({ ...a, workload: { kind: 'idle' as const } }));
    const s: Scenario = {
      ...defaultScenario(),
      agents: idle,
      duration: 120,
      durability: { wal: false, flushEvery: 50 },
      actions: [
        { tick: 10, type: 'op', agent: 'agent1', op: 'set', args: { key: 'k', value: 1 } },
        { tick: 60, type: 'op', agent: 'agent1', op: 'set', args: { key: 'k', value: 2 } },
        { tick: 80, type: 'crash', node: 'store', disk: 'unflushed-lost' },
        { tick: 85, type: 'recover', node: 'store' },
        { tick: 90, type: 'op', agent: 'agent2', op: 'get', args: { key: 'k' } },
      ],
    };
    const w = worldAt(s, 120);
    expect(w.durability!.events[0]).toMatchObject({ kind: 'crash', recoveryPoint: 50 });
    const lost = lostWrites(w.history, getArchitecture('centralized'), w.arch, 'store', 50, 80);
    expect(lost).toEqual([expect.objectContaining({ agent: 'agent1', key: 'k', value: 2, certain: true })]);
    expect(w.history.at(-1)).toMatchObject({ op: 'get', outcome: 'ok', result: { value: 1 } });
    expect(linearizable({ scenario: s, world: w, isolated: new Set<string>() }, { fracturedReads: false })).toMatch(
      /not linearizable/,
    );
    // The same run with a WAL loses nothing.
    const wal = worldAt({ ...s, durability: { wal: true, flushEvery: 50 } }, 120);
    expect(wal.history.at(-1)).toMatchObject({ result: { value: 2 } });
  });

  it('turned on by actions: a server that gives up its WAL is on disk as of that tick', () => {
    const s: Scenario = {
      ...defaultScenario(),
      duration: 120,
      actions: [
        { tick: 30, type: 'set-durability', wal: false, flushEvery: 1000 },
        { tick: 90, type: 'crash', node: 'store', disk: 'unflushed-lost' },
      ],
    };
    const w = worldAt(s, 90);
    expect(w.durability!.events[0]).toMatchObject({ kind: 'crash', recoveryPoint: 30 });
    const at30 = worldAt(s, 30).servers['store']!.state as { data: unknown; version: number };
    expect(w.servers['store']!.state).toMatchObject({ data: at30.data, version: at30.version });
  });

  it('leaves worlds without it as they were, and flushes only servers without a WAL', () => {
    const plain = defaultScenario();
    const w = initWorld(plain);
    advance(w, plain, 100);
    expect(w.durability).toBeUndefined();
    const s: Scenario = { ...plain, durability: { wal: true, flushEvery: 5, nodes: [{ node: 'store', wal: false }] } };
    const d = worldAt(s, 100).durability!;
    expect(d.disks['store']!.flushedAt).toBe(100);
  });

  it('refuses a disk mode on an agent and a restore in the future, and keeps hostile ids as data', () => {
    const s: Scenario = {
      ...defaultScenario(),
      duration: 50,
      actions: [
        { tick: 10, type: 'crash', node: 'agent1', disk: 'lost' },
        { tick: 10, type: 'restore', node: 'store', target: 40 },
        { tick: 11, type: 'restore-drill', node: 'store' },
        { tick: 12, type: 'corrupt-backup', backup: 7 },
      ],
    };
    const reasons = worldAt(s, 50).actionErrors.map((e) => e.reason);
    expect(reasons).toEqual([
      'agent1 is an agent: only a server has a disk to lose',
      'cannot restore store to tick 40: it is in the future',
      'there is no backup of store to drill',
      'there is no backup #7',
    ]);
    const bad = parseScenario({
      ...defaultScenario(),
      durability: { wal: false, flushEvery: 5, nodes: [{ node: '__proto__' }] },
    });
    expect(bad.ok).toBe(false);
  });
});
