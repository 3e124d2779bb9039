import { describe, expect, it } from 'vitest';
import { worldAt, defaultScenario } from '../sim/index';
import { healthScenario } from '../sim/scenario/builtins';
import { buildView, describeAction } from './view';

describe('health in the view', () => {
  it('is absent when health checks are off', () => {
    const s = defaultScenario();
    const v = buildView(worldAt(s, 100), s, { kind: 'agent', id: 'agent1' });
    expect(v.health).toBeNull();
    expect(v.servers.every((x) => x.health === null)).toBe(true);
    expect(v.agents.every((a) => a.fallback === 'none')).toBe(true);
    expect(v.inspect?.kind === 'agent' && v.inspect.sees).toEqual([]);
  });

  it('shows a crashed replica as its watchers see it, how long they took, and a fallback labelled with its staleness', () => {
    const s = healthScenario();
    const v = buildView(worldAt(s, 250), s, { kind: 'agent', id: 'agent3' });
    const r1 = v.servers.find((x) => x.id === 'r1')!;
    expect(r1.health!.verdict).toBe('down');
    expect(r1.health!.downBy).toBe(r1.health!.watchers);
    expect(r1.health!.lastCrash!.at).toBe(150);
    for (const n of r1.health!.lastCrash!.noticed) expect(n.toSuspect).toBeGreaterThan(0);
    expect(v.servers.find((x) => x.id === 'r2')!.health!.verdict).toBe('healthy');
    if (v.inspect?.kind !== 'agent') throw new Error('agent3 is selected');
    expect(v.inspect.agent.fallback).toBe('cache');
    expect(v.inspect.sees.map((x) => [x.target, x.status])).toEqual([['r1', 'down']]);
    expect(v.inspect.ops.some((o) => /served from agent3's cache, stale by \d+ ticks/.test(o.via ?? ''))).toBe(true);
    expect(v.messages.some((m) => m.kind === 'heartbeat')).toBe(true);
  });

  it('counts a false suspicion of a replica that was up', () => {
    const s = healthScenario();
    const r2 = buildView(worldAt(s, 400), s, null).servers.find((x) => x.id === 'r2')!;
    expect(r2.health!.falseSuspicions).toBe(1);
    expect(r2.health!.recentFalse[0]).toMatchObject({ observer: 'agent4', cause: 'late' });
  });

  it('describes the new actions in words', () => {
    expect(describeAction({ type: 'set-health', health: null })).toBe('health checks off');
    expect(describeAction({ type: 'set-fallback', agent: 'agent1', fallback: 'cache' })).toBe('agent1: fallback cache');
  });
});
