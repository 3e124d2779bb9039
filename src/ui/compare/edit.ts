import { dictFrom } from '../../sim/core/dict';
import type { Comparison, FaultStep } from '../../sim/compare/constants';
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

export interface Draft {
  /** Empty: named after its schedule when applied. */
  name: string;
  seed: string;
  duration: string;
  latency: string;
  loss: string;
  steps: DraftStep[];
  /** Per panel (in the comparison's order), each server's group. */
  placements: { server: string; group: string }[][];
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

export function setPlacement(d: Draft, panel: number, server: string, group: string): Draft {
  return { ...d, placements: d.placements.map((row, i) => (i === panel ? row.map((x) => (x.server === server ? { server, group } : x)) : row)) };
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

export type Applied = { ok: true; comparison: Comparison; draft: Draft } | { ok: false; errors: string[]; draft: Draft };

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
    case 'faults': {
      const i = at(second);
      if (i === null) return 'The fault schedule';
      const what = third === 'tick' ? ' tick' : third === 'a' ? ' first group' : third === 'b' ? ' second group' : third === 'group' ? ' group' : '';
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
 * The draft as a comparison (the base's groups, agents, workloads, scripted operations and
 * panels; its seed, duration, network, schedule and placements), checked by `parseComparison`.
 * Steps are sorted first, so the returned draft is what the form should show next. A lesson's
 * narration is dropped: its steps and claims were written for the schedule being changed.
 */
export function applyDraft(base: Comparison, draft: Draft): Applied {
  const sorted: Draft = { ...draft, steps: sortSteps(draft.steps) };
  const errors: string[] = [];
  const num = (text: string, field: string, whole: boolean): number => {
    const n = toNumber(text);
    if (n === null) {
      errors.push(sentence(field, text.trim() === '' ? 'write a number' : `"${text.trim().slice(0, 20)}" is not a number`));
      return 0;
    }
    if (whole && !Number.isInteger(n)) errors.push(sentence(field, `write a whole number (not ${n})`));
    return n;
  };
  const seed = num(sorted.seed, 'Seed', true);
  const duration = num(sorted.duration, 'Duration', true);
  const latency = num(sorted.latency, 'Network latency', true);
  const loss = num(sorted.loss, 'Message loss', false);
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

  // What the validator accepts but a schedule written by hand rarely means: say it.
  const cut = new Set<string>();
  const down = new Set<string>();
  faults.forEach((f, i) => {
    if (f.type === 'cut') cut.add(`${f.a}|${f.b}`);
    if (f.type === 'heal') {
      if (cut.size === 0) errors.push(sentence(`Step ${i + 1}`, `a heal at tick ${f.tick}, but no cut comes before it (cuts must come before their heal)`));
      cut.clear();
    }
    if (f.type === 'crash') down.add(f.group);
    if (f.type === 'recover') {
      // A step with no group is the validator's to name ("Step 1 group: …").
      if (f.group !== '' && !down.has(f.group)) errors.push(sentence(`Step ${i + 1}`, `${f.group} recovers at tick ${f.tick}, but no crash of ${f.group} comes before it`));
      down.delete(f.group);
    }
  });

  const candidate: Comparison = {
    ...base,
    name: (sorted.name.trim() || scheduleName(faults)).slice(0, 120),
    seed,
    duration,
    network: { ...base.network, latency, loss },
    faults,
    panels: base.panels.map((p, i) => ({ ...p, placement: dictFrom((sorted.placements[i] ?? []).map((x): [string, string] => [x.server, x.group])) })),
  };
  delete candidate.lesson;
  const parsed = parseComparison(candidate);
  if (!parsed.ok) errors.push(...parsed.errors.map((e: ParseError) => sentence(fieldOf(e.path, candidate), e.message)));
  if (errors.length || !parsed.ok) return { ok: false, errors, draft: sorted };
  return { ok: true, comparison: parsed.comparison, draft: sorted };
}
