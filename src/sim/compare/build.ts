import { dictGet } from '../core/dict';
import { getArchitecture } from '../architectures/registry';
import type { Action, Scenario } from '../scenario/schema';
import { FORMAT_VERSION } from '../scenario/limits';
import { defaultGroupOf, type Comparison, type ComparePanel } from './constants';

/**
 * A comparison's panel as an ordinary scenario: the shared seed, network, agents and
 * workloads, the panel's architecture, and the fault schedule turned into the engine's own
 * actions over nodes (`partition`, `heal-all`, `crash`, `recover`, `set-workload`). So every
 * panel is a normal run: the Timeline, the checker and share links handle it as any other.
 */

/** Where each of the panel's servers sits: its placement, else its architecture's default. */
export function placementOf(c: Comparison, panel: ComparePanel): { server: string; group: string }[] {
  const servers = getArchitecture(panel.architecture.kind).serverIds(panel.architecture);
  const groups = c.groups.map((g) => g.id);
  return servers.map((server) => {
    const chosen = panel.placement ? dictGet(panel.placement, server) : undefined;
    return {
      server,
      group:
        chosen !== undefined && groups.includes(chosen)
          ? chosen
          : defaultGroupOf(panel.architecture, server, servers, groups),
    };
  });
}

/** Every node of a group in this panel: its agents and the servers placed in it. */
export function nodesOf(c: Comparison, panel: ComparePanel, group: string): string[] {
  return [
    ...(c.groups.find((g) => g.id === group)?.agents ?? []),
    ...placementOf(c, panel)
      .filter((p) => p.group === group)
      .map((p) => p.server),
  ];
}

/** Gossip: each agent attaches to a replica of its own group (round-robin), if it has one. */
function attachments(c: Comparison, panel: ComparePanel): { [agent: string]: string } | undefined {
  if (panel.architecture.kind !== 'gossip') return undefined;
  const places = placementOf(c, panel);
  const out: { [agent: string]: string } = {};
  for (const g of c.groups) {
    const replicas = places.filter((p) => p.group === g.id).map((p) => p.server);
    if (replicas.length === 0) continue;
    g.agents.forEach((a, i) =>
      Object.defineProperty(out, a, {
        value: replicas[i % replicas.length]!,
        enumerable: true,
        writable: true,
        configurable: true,
      }),
    );
  }
  return out;
}

export function buildScenario(c: Comparison, panel: ComparePanel): Scenario {
  const attach = attachments(c, panel);
  const architecture =
    attach && panel.architecture.kind === 'gossip'
      ? { ...panel.architecture, attach: { ...(panel.architecture.attach ?? {}), ...attach } }
      : panel.architecture;
  const actions: Action[] = [];
  // Cuts accumulate until a heal: each is one `partition` of the two groups' nodes.
  for (const f of c.faults) {
    switch (f.type) {
      case 'cut':
        actions.push({ tick: f.tick, type: 'partition', groups: [nodesOf(c, panel, f.a), nodesOf(c, panel, f.b)] });
        break;
      case 'heal':
        actions.push({ tick: f.tick, type: 'heal-all' });
        break;
      case 'crash':
      case 'recover':
        for (const p of placementOf(c, panel))
          if (p.group === f.group) actions.push({ tick: f.tick, type: f.type, node: p.server });
        break;
      case 'quiesce':
        for (const a of c.agents)
          actions.push({ tick: f.tick, type: 'set-workload', agent: a.id, workload: { kind: 'idle' } });
        break;
    }
  }
  // Scripted operations join the faults in tick order (faults first at a tick: a write at the
  // cut's tick already meets the cut). Without any, the actions are exactly the faults' as before.
  const ops = c.ops ?? [];
  const merged: Action[] = ops.length === 0 ? actions : [];
  if (ops.length > 0) {
    let j = 0;
    for (const a of actions) {
      while (j < ops.length && ops[j]!.tick < a.tick) merged.push({ type: 'op', ...ops[j++]! });
      merged.push(a);
    }
    while (j < ops.length) merged.push({ type: 'op', ...ops[j++]! });
  }
  return {
    format: FORMAT_VERSION,
    name: `${c.name} · ${panel.label}`,
    seed: c.seed,
    duration: c.duration,
    architecture,
    network: c.network,
    agents: c.agents,
    actions: merged,
  };
}

/** The partition windows of a comparison: before the first cut or crash, during, after. */
export interface Window {
  name: 'before' | 'during' | 'after';
  from: number;
  /** Exclusive. */
  to: number;
}

export function windowsOf(c: Comparison): Window[] {
  const start = c.faults.find((f) => f.type === 'cut' || f.type === 'crash')?.tick;
  if (start === undefined) return [{ name: 'before', from: 0, to: c.duration + 1 }];
  const end =
    c.faults.find((f) => (f.type === 'heal' || f.type === 'recover') && f.tick >= start)?.tick ?? c.duration + 1;
  return [
    { name: 'before', from: 0, to: start },
    { name: 'during', from: start, to: end },
    { name: 'after', from: end, to: c.duration + 1 },
  ];
}

/** Whether the nodes of two groups are cut apart at tick t (cuts since the last heal). */
export function cutAt(c: Comparison, t: number): [string, string][] {
  let cuts: [string, string][] = [];
  for (const f of c.faults) {
    if (f.tick > t) break;
    if (f.type === 'cut') cuts.push([f.a, f.b]);
    if (f.type === 'heal') cuts = [];
  }
  return cuts;
}

/** Groups whose servers are crashed at tick t. */
export function crashedAt(c: Comparison, t: number): string[] {
  const down = new Set<string>();
  for (const f of c.faults) {
    if (f.tick > t) break;
    if (f.type === 'crash') down.add(f.group);
    if (f.type === 'recover') down.delete(f.group);
  }
  return [...down];
}
