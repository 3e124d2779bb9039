import { dictFrom } from '../../sim/core/dict';
import type { Comparison, FaultStep } from '../../sim/compare/constants';
import type { AgentSpec, Workload } from '../../sim/scenario/schema';
import { LIMITS } from '../../sim/scenario/limits';
import { placementOf } from '../../sim/compare/build';
import { parseComparison } from '../../sim/compare/validate';
import type { ParseError } from '../../sim/scenario/validate';

/**
 * The "Change this comparison" form's model, apart from React so it can be tested: a draft
 * holds what the inputs hold (text, as typed), and `applyDraft` turns it into a comparison
 * through the same validator as links and files (`parseComparison`), or into sentences that
 * name the form's own fields. It never throws: whatever the form can hold gets an answer.
 */

export type StepKind = FaultStep['type'];

/** In the order the kind select lists them, with the words it shows. */
export const STEP_KINDS: { kind: StepKind; label: string }[] = [
  { kind: 'cut', label: 'cut' },
  { kind: 'heal', label: 'heal' },
  { kind: 'crash', label: 'crash' },
  { kind: 'recover', label: 'recover' },
  { kind: 'quiesce', label: 'stop writing' },
];

export interface DraftStep {
  /** Stable across sorting, for React's keys and focus. */
  id: number;
  tick: string;
  kind: StepKind;
  /** A cut's two groups. */
  a: string;
  b: string;
  /** A crash's or recovery's group. */
  group: string;
}

export type MixKey = 'get' | 'set' | 'delete' | 'update';
export const MIX_KEYS: readonly MixKey[] = ['get', 'set', 'delete', 'update'];

/** The workload every agent runs (a random one), as typed. */
export interface DraftWorkload {
  /** Keys separated by commas or spaces; a key listed twice is drawn twice as often. */
  keys: string;
  interval: string;
  mix: Record<MixKey, string>;
}

export interface Draft {
  /** Empty: named after its schedule when applied. */
  name: string;
  seed: string;
  duration: string;
  latency: string;
  loss: string;
  /** Per group (in the comparison's order), how many agents it has. */
  groupSizes: string[];
  workload: DraftWorkload;
  steps: DraftStep[];
  /** Per panel (in the comparison's order), each server's group. */
  placements: { server: string; group: string }[][];
}

/** The workload the form starts from: the first agent's random one, or the built-ins'. */
function baseWorkload(c: Comparison): Extract<Workload, { kind: 'random' }> {
  for (const a of c.agents) if (a.workload.kind === 'random') return a.workload;
  return { kind: 'random', keys: ['x', 'y', 'z'], interval: 10, mix: { get: 5, set: 4, delete: 1, update: 1 } };
}

function workloadDraft(w: Extract<Workload, { kind: 'random' }>): DraftWorkload {
  return {
    keys: w.keys.join(', '),
    interval: String(w.interval),
    mix: { get: String(w.mix.get), set: String(w.mix.set), delete: String(w.mix.delete), update: String(w.mix.update) },
  };
}

/** Whether every agent runs one workload (the form then shows it as it is). */
export function sharedWorkload(c: Comparison): boolean {
  const first = JSON.stringify(c.agents[0]?.workload);
  return c.agents.every((a) => JSON.stringify(a.workload) === first);
}

export function draftOf(c: Comparison): Draft {
  const first = c.groups[0]?.id ?? '';
  const second = c.groups[1]?.id ?? first;
  return {
    name: '',
    seed: String(c.seed),
    duration: String(c.duration),
    latency: String(c.network.latency),
    loss: String(c.network.loss),
    groupSizes: c.groups.map((g) => String(g.agents.length)),
    workload: workloadDraft(baseWorkload(c)),
    steps: c.faults.map((f, i) => ({
      id: i,
      tick: String(f.tick),
      kind: f.type,
      a: f.type === 'cut' ? f.a : first,
      b: f.type === 'cut' ? f.b : second,
      group: f.type === 'crash' || f.type === 'recover' ? f.group : second,
    })),
    placements: c.panels.map((p) => placementOf(c, p).map((x) => ({ ...x }))),
  };
}

/** A new step after the last: a heal 50 ticks later (clamped to the duration), or a cut at 0 in an empty schedule. */
export function addStep(d: Draft, c: Comparison): Draft {
  const id = d.steps.reduce((m, s) => Math.max(m, s.id), -1) + 1;
  const ticks = d.steps.map((s) => toNumber(s.tick)).filter((t): t is number => t !== null);
  const duration = toNumber(d.duration) ?? c.duration;
  const last = ticks.length ? Math.max(...ticks) : null;
  const tick = last === null ? 0 : Math.max(0, Math.min(duration, last + 50));
  const first = c.groups[0]?.id ?? '';
  const second = c.groups[1]?.id ?? first;
  const kind: StepKind = last === null ? 'cut' : 'heal';
  return { ...d, steps: [...d.steps, { id, tick: String(tick), kind, a: first, b: second, group: second }] };
}

export function removeStep(d: Draft, id: number): Draft {
  return { ...d, steps: d.steps.filter((s) => s.id !== id) };
}

export function updateStep(d: Draft, id: number, change: Partial<Omit<DraftStep, 'id'>>): Draft {
  return { ...d, steps: d.steps.map((s) => (s.id === id ? { ...s, ...change } : s)) };
}

export function setGroupSize(d: Draft, group: number, size: string): Draft {
  return { ...d, groupSizes: d.groupSizes.map((n, i) => (i === group ? size : n)) };
}

export function setWorkload(
  d: Draft,
  change: Partial<Omit<DraftWorkload, 'mix'>> & { mix?: Partial<Record<MixKey, string>> },
): Draft {
  return { ...d, workload: { ...d.workload, ...change, mix: { ...d.workload.mix, ...change.mix } } };
}

export function setPlacement(d: Draft, panel: number, server: string, group: string): Draft {
  return {
    ...d,
    placements: d.placements.map((row, i) =>
      i === panel ? row.map((x) => (x.server === server ? { server, group } : x)) : row,
    ),
  };
}

/** Steps in tick order; equal ticks (and ticks that are not numbers, last) keep their order. */
export function sortSteps(steps: readonly DraftStep[]): DraftStep[] {
  const key = (s: DraftStep): number => toNumber(s.tick) ?? Number.POSITIVE_INFINITY;
  return steps
    .map((s, i) => ({ s, i }))
    .sort((x, y) => key(x.s) - key(y.s) || x.i - y.i)
    .map((x) => x.s);
}

function toNumber(text: string): number | null {
  const t = text.trim();
  if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

function stepWords(f: FaultStep): string {
  switch (f.type) {
    case 'cut':
      return `${f.a} | ${f.b} cut at ${f.tick}`;
    case 'heal':
      return `heal at ${f.tick}`;
    case 'crash':
      return `${f.group} crashes at ${f.tick}`;
    case 'recover':
      return `${f.group} recovers at ${f.tick}`;
    case 'quiesce':
      return `writing stops at ${f.tick}`;
  }
}

/** A name from the schedule, for a draft whose name was left empty. */
export function scheduleName(faults: readonly FaultStep[]): string {
  const words = faults.filter((f) => f.type !== 'quiesce').map(stepWords);
  const name = words.length ? words.join(', ') : 'no fault';
  return name.length > 100 ? `${name.slice(0, 99)}…` : name;
}

export type Applied =
  { ok: true; comparison: Comparison; draft: Draft } | { ok: false; errors: string[]; draft: Draft };

/** Where a validator's path sits in the form, in the form's own words. */
export function fieldOf(path: string, c: Comparison): string {
  const parts = path.split('.');
  const [head, second, third, fourth] = parts;
  const at = (s: string | undefined): number | null => (s !== undefined && /^\d+$/.test(s) ? Number(s) : null);
  switch (head) {
    case '':
      return 'The comparison';
    case 'name':
      return 'Name';
    case 'seed':
      return 'Seed';
    case 'duration':
      return 'Duration';
    case 'network':
      return second === 'latency' ? 'Network latency' : second === 'loss' ? 'Message loss' : 'Network';
    case 'agents':
    case 'groups': {
      if (head === 'agents' && third === 'workload')
        return fourth === 'keys'
          ? 'Keys'
          : fourth === 'interval'
            ? 'Mean interval'
            : fourth === 'mix'
              ? 'Mix'
              : 'Workload';
      const i = at(second);
      const g = head === 'groups' && i !== null ? c.groups[i]?.id : undefined;
      return g === undefined ? 'Agents' : `Agents in ${g}`;
    }
    case 'ops': {
      const i = at(second);
      const o = i === null ? undefined : c.ops?.[i];
      return o === undefined
        ? 'The scripted operations'
        : `Scripted operation ${i! + 1} (${o.op} by ${o.agent} at tick ${o.tick})`;
    }
    case 'faults': {
      const i = at(second);
      if (i === null) return 'The fault schedule';
      const what =
        third === 'tick'
          ? ' tick'
          : third === 'a'
            ? ' first group'
            : third === 'b'
              ? ' second group'
              : third === 'group'
                ? ' group'
                : '';
      return `Step ${i + 1}${what}`;
    }
    case 'panels': {
      const i = at(second);
      const label = i === null ? undefined : c.panels[i]?.label;
      if (label === undefined) return 'A panel';
      return third === 'placement' && fourth !== undefined ? `${label}, ${fourth.slice(0, 40)}` : label;
    }
    default:
      return path.slice(0, 60) || 'The comparison';
  }
}

const sentence = (field: string, message: string): string => `${field}: ${message}`;

/**
 * The draft as a comparison (the base's groups, scripted operations and panels; its seed,
 * duration, network, agents per group, workload, schedule and placements), checked by
 * `parseComparison`.
 * Steps are sorted first, so the returned draft is what the form should show next. A lesson's
 * narration is dropped: its steps and claims were written for the schedule being changed.
 */
export function applyDraft(base: Comparison, draft: Draft): Applied {
  const sorted: Draft = { ...draft, steps: sortSteps(draft.steps) };
  const errors: string[] = [];
  const num = (text: string, field: string, whole: boolean): number => {
    const n = toNumber(text);
    if (n === null) {
      errors.push(
        sentence(field, text.trim() === '' ? 'write a number' : `"${text.trim().slice(0, 20)}" is not a number`),
      );
      return 0;
    }
    if (whole && !Number.isInteger(n)) errors.push(sentence(field, `write a whole number (not ${n})`));
    return n;
  };
  const seed = num(sorted.seed, 'Seed', true);
  const duration = num(sorted.duration, 'Duration', true);
  const latency = num(sorted.latency, 'Network latency', true);
  const loss = num(sorted.loss, 'Message loss', false);
  const sizeField = (i: number): string => `Agents in ${base.groups[i]?.id ?? `group ${i + 1}`}`;
  const sizes = sorted.groupSizes.map((n, i) => num(n, sizeField(i), true));
  const w = sorted.workload;
  const keys = w.keys.split(/[\s,]+/).filter((k) => k !== '');
  const workload: Workload = {
    kind: 'random',
    keys,
    interval: num(w.interval, 'Mean interval', true),
    mix: {
      get: num(w.mix.get, 'Mix, get', true),
      set: num(w.mix.set, 'Mix, set', true),
      delete: num(w.mix.delete, 'Mix, delete', true),
      update: num(w.mix.update, 'Mix, update', true),
    },
  };
  const faults: FaultStep[] = sorted.steps.map((s, i) => {
    const tick = num(s.tick, `Step ${i + 1} tick`, true);
    switch (s.kind) {
      case 'cut':
        return { tick, type: 'cut', a: s.a, b: s.b };
      case 'crash':
      case 'recover':
        return { tick, type: s.kind, group: s.group };
      case 'heal':
      case 'quiesce':
        return { tick, type: s.kind };
    }
  });
  if (errors.length) return { ok: false, errors, draft: sorted };

  const total = sizes.reduce((a, b) => a + Math.max(0, b), 0);
  sizes.forEach((n, i) => {
    if (n < 0) errors.push(sentence(sizeField(i), 'write 0 or more'));
  });
  if (total === 0) errors.push(sentence('Agents', 'the comparison needs at least one agent'));
  // Said before any agent is made: a typed 1e9 must not build a billion of them.
  if (total > LIMITS.agents) errors.push(sentence('Agents', `at most ${LIMITS.agents} in all (${total} asked)`));
  if (keys.length === 0) errors.push(sentence('Keys', 'write at least one key'));

  // What the validator accepts but a schedule written by hand rarely means: say it.
  const cut = new Set<string>();
  const down = new Set<string>();
  faults.forEach((f, i) => {
    if (f.type === 'cut') cut.add(`${f.a}|${f.b}`);
    if (f.type === 'heal') {
      if (cut.size === 0)
        errors.push(
          sentence(
            `Step ${i + 1}`,
            `a heal at tick ${f.tick}, but no cut comes before it (cuts must come before their heal)`,
          ),
        );
      cut.clear();
    }
    if (f.type === 'crash') down.add(f.group);
    if (f.type === 'recover') {
      // A step with no group is the validator's to name ("Step 1 group: …").
      if (f.group !== '' && !down.has(f.group))
        errors.push(
          sentence(
            `Step ${i + 1}`,
            `${f.group} recovers at tick ${f.tick}, but no crash of ${f.group} comes before it`,
          ),
        );
      down.delete(f.group);
    }
  });
  if (errors.length) return { ok: false, errors, draft: sorted };

  // An untouched workload leaves each agent's own (a file may give agents different ones).
  const touched = JSON.stringify(sorted.workload) !== JSON.stringify(workloadDraft(baseWorkload(base)));
  const { groups, agents } = resize(base, sizes, touched ? workload : null, workload);

  const candidate: Comparison = {
    ...base,
    groups,
    agents,
    name: (sorted.name.trim() || scheduleName(faults)).slice(0, 120),
    seed,
    duration,
    network: { ...base.network, latency, loss },
    faults,
    panels: base.panels.map((p, i) => ({
      ...p,
      placement: dictFrom((sorted.placements[i] ?? []).map((x): [string, string] => [x.server, x.group])),
    })),
  };
  delete candidate.lesson;
  const parsed = parseComparison(candidate);
  if (!parsed.ok) errors.push(...parsed.errors.map((e: ParseError) => sentence(fieldOf(e.path, candidate), e.message)));
  // One workload on every agent fails on every agent alike: say it once.
  if (errors.length || !parsed.ok) return { ok: false, errors: [...new Set(errors)], draft: sorted };
  return { ok: true, comparison: parsed.comparison, draft: sorted };
}

/**
 * The groups at the sizes asked: each keeps its first agents, in order; a new agent takes the
 * next free name agentN and the first agent's timeout and retry. With `all`, every agent runs
 * it; otherwise the agents kept keep their workloads and new ones run `fresh`.
 */
function resize(
  base: Comparison,
  sizes: readonly number[],
  all: Workload | null,
  fresh: Workload,
): { groups: Comparison['groups']; agents: AgentSpec[] } {
  const kept = new Set(base.groups.flatMap((g, i) => g.agents.slice(0, Math.max(0, sizes[i] ?? g.agents.length))));
  // Names of agents dropped are free again: the west's fourth agent after the east shrank.
  const used = new Set(kept);
  const template = base.agents[0];
  let next = 1;
  const newId = (): string => {
    while (used.has(`agent${next}`)) next += 1;
    used.add(`agent${next}`);
    return `agent${next}`;
  };
  const added: string[] = [];
  const groups = base.groups.map((g, i) => {
    const n = Math.max(0, sizes[i] ?? g.agents.length);
    const ids = g.agents.slice(0, n);
    while (ids.length < n) {
      const id = newId();
      ids.push(id);
      added.push(id);
    }
    return { ...g, agents: ids };
  });
  // Kept agents stay in the base's order, so an untouched draft is the same comparison.
  const agents: AgentSpec[] = [
    ...base.agents.filter((a) => kept.has(a.id)).map((a) => (all ? { ...a, workload: all } : a)),
    ...added.map((id) => ({
      id,
      workload: all ?? fresh,
      timeout: template?.timeout ?? 30,
      retryEvery: template?.retryEvery ?? 0,
    })),
  ];
  return { groups, agents };
}
