import { canonicalJson } from '../core/hash';
import { dictKeys } from '../core/dict';
import { advance, initWorld, worldHash } from '../engine/engine';
import type { EngineObserver } from '../engine/observer';
import type { World } from '../engine/types';
import { getArchitecture } from '../architectures/registry';
import type { Scenario } from '../scenario/schema';
import { buildScenario } from './build';
import type { Comparison, ComparePanel } from './constants';

/**
 * Runs one panel of a comparison to its end, in slices (a worker reports progress between
 * them), measuring what the world does not keep: messages and bytes sent (an engine
 * observer, outside the world: observing changes nothing) and, at every busy tick, which
 * keys the servers that hold them disagree on (the architecture's `holdings`).
 */

export interface Traffic {
  /** Every message sent, duplicate copies included. */
  messages: number;
  /** Bytes: the length of each payload's canonical JSON. */
  bytes: number;
  /** Messages each node received (delivered), for the bottleneck. */
  received: { [node: string]: number };
}

export interface PanelRun {
  panel: ComparePanel;
  scenario: Scenario;
  /** The world at the end. */
  world: World;
  /**
   * worldHash of the world at the end: what a scenario link of this panel at `duration`
   * records (tested), and what a comparison link carries per panel (codec.ts).
   */
  hash: string;
  traffic: Traffic;
  /** [tick, keys the holders disagree on], one entry each time that set changed. */
  divergence: [number, string[]][];
}

export class PanelRunner {
  readonly scenario: Scenario;
  private readonly world: World;
  private readonly traffic: Traffic = { messages: 0, bytes: 0, received: {} };
  private readonly divergence: [number, string[]][] = [];
  private readonly observer: EngineObserver;

  constructor(
    comparison: Comparison,
    readonly panel: ComparePanel,
  ) {
    this.scenario = buildScenario(comparison, panel);
    this.world = initWorld(this.scenario);
    const received = new Map<string, number>();
    this.observer = {
      send: (m) => {
        this.traffic.messages += 1;
        this.traffic.bytes += canonicalJson(m.payload).length;
      },
      deliver: (m) => {
        received.set(m.to, (received.get(m.to) ?? 0) + 1);
      },
    };
    this.received = received;
    this.sample(0);
  }

  private readonly received: Map<string, number>;

  get tick(): number {
    return Math.max(0, this.world.now);
  }

  get done(): boolean {
    return this.world.now >= this.scenario.duration;
  }

  /** Runs up to `ticks` more ticks; true when the panel has reached its end. */
  step(ticks: number): boolean {
    if (this.done) return true;
    const to = Math.min(this.scenario.duration, this.world.now + Math.max(1, ticks));
    advance(this.world, this.scenario, to, (t) => this.sample(t), this.observer);
    return this.done;
  }

  private sample(tick: number): void {
    const keys = divergentKeys(this.world);
    const last = this.divergence[this.divergence.length - 1];
    if (last && last[1].length === keys.length && last[1].every((k, i) => k === keys[i])) return;
    this.divergence.push([tick, keys]);
  }

  result(): PanelRun {
    const received: { [node: string]: number } = {};
    for (const [k, v] of [...this.received].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
      Object.defineProperty(received, k, { value: v, enumerable: true, writable: true, configurable: true });
    return {
      panel: this.panel,
      scenario: this.scenario,
      world: this.world,
      hash: worldHash(this.world),
      traffic: { ...this.traffic, received },
      divergence: this.divergence,
    };
  }
}

/** Keys on which the servers that hold them disagree now, sorted. */
export function divergentKeys(w: World): string[] {
  const arch = getArchitecture(w.arch.kind);
  if (!arch.holdings) return [];
  const servers = dictKeys(w.servers).map((id) => ({ id, state: w.servers[id]!.state }));
  const held = arch.holdings(servers, w.arch);
  const out: string[] = [];
  for (const k of dictKeys(held)) {
    const row = held[k]!;
    const vals = new Set(dictKeys(row).map((s) => canonicalJson(row[s] ?? null)));
    if (vals.size > 1) out.push(k);
  }
  return out;
}

export function runPanel(comparison: Comparison, panel: ComparePanel): PanelRun {
  const r = new PanelRunner(comparison, panel);
  while (!r.step(1_000_000));
  return r.result();
}
