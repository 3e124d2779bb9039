import type { z } from 'zod';
import { dictKeys, dictGet } from '../core/dict';
import { getArchitecture } from '../architectures/registry';
import { claimRefErrors, semanticErrors, type ParseError } from '../scenario/validate';
import { buildScenario } from './build';
import { ComparisonSchema, type Comparison } from './schema';

/**
 * Any input becomes a comparison or a list of clear errors (as scenarios do): strict schema,
 * then what it cannot say (groups name real agents, faults in tick order and naming real
 * groups, placements naming real servers and groups), then each panel's scenario's own checks.
 */

export type CompareParse = { ok: true; comparison: Comparison } | { ok: false; errors: ParseError[] };

/** agents × ticks × panels past which a comparison is refused: a link must not hang a phone. */
export const MAX_COMPARE_WORK = 20_000_000;
export const MAX_COMPARISON_CHARS = 400_000;

export function parseComparisonText(text: string): CompareParse {
  if (text.length > MAX_COMPARISON_CHARS)
    return {
      ok: false,
      errors: [{ stage: 'size', path: '', message: `a comparison is at most ${MAX_COMPARISON_CHARS} characters` }],
    };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [{ stage: 'json', path: '', message: `not valid JSON: ${(e as Error).message}` }] };
  }
  return parseComparison(data);
}

export function parseComparison(data: unknown): CompareParse {
  // zod's record copies keys with an assignment, which drops "__proto__" silently: say it.
  const panels = typeof data === 'object' && data !== null ? (data as { panels?: unknown }).panels : undefined;
  if (Array.isArray(panels)) {
    for (const [i, p] of panels.entries()) {
      const placement = typeof p === 'object' && p !== null ? (p as { placement?: unknown }).placement : undefined;
      if (typeof placement === 'object' && placement !== null && Object.hasOwn(placement, '__proto__')) {
        return {
          ok: false,
          errors: [
            {
              stage: 'schema',
              path: `panels.${i}.placement.__proto__`,
              message: 'a server id is a letter followed by letters, digits, _ or -',
            },
          ],
        };
      }
    }
  }
  const r = ComparisonSchema.safeParse(data);
  if (!r.success) {
    const errors = r.error.issues.slice(0, 20).map((i: z.core.$ZodIssue) => ({
      stage: 'schema' as const,
      path: i.path.map(String).join('.'),
      message: i.message,
    }));
    return { ok: false, errors };
  }
  const errors = comparisonErrors(r.data);
  return errors.length ? { ok: false, errors } : { ok: true, comparison: r.data };
}

export function comparisonErrors(c: Comparison): ParseError[] {
  const errors: ParseError[] = [];
  const err = (path: string, message: string): void => {
    if (errors.length < 20) errors.push({ stage: 'semantic', path, message });
  };
  const agents = new Set(c.agents.map((a) => a.id));
  const groups = new Set<string>();
  const grouped = new Set<string>();
  c.groups.forEach((g, i) => {
    if (groups.has(g.id)) err(`groups.${i}.id`, `two groups are called "${g.id}"`);
    groups.add(g.id);
    g.agents.forEach((a, j) => {
      if (!agents.has(a)) err(`groups.${i}.agents.${j}`, `no agent is called "${a}"`);
      if (grouped.has(a)) err(`groups.${i}.agents.${j}`, `"${a}" is in two groups`);
      grouped.add(a);
    });
  });
  for (const a of agents) if (!grouped.has(a)) err('groups', `agent "${a}" is in no group`);
  let last = 0;
  c.faults.forEach((f, i) => {
    if (f.tick < last)
      err(`faults.${i}.tick`, `faults must be in tick order (tick ${f.tick} comes after tick ${last})`);
    last = Math.max(last, f.tick);
    if (f.tick > c.duration) err(`faults.${i}.tick`, `tick ${f.tick} is after the comparison's end (${c.duration})`);
    if (f.type === 'cut') {
      if (!groups.has(f.a)) err(`faults.${i}.a`, `no group is called "${f.a}"`);
      if (!groups.has(f.b)) err(`faults.${i}.b`, `no group is called "${f.b}"`);
      if (f.a === f.b) err(`faults.${i}`, 'a group cannot be cut from itself');
    }
    if ((f.type === 'crash' || f.type === 'recover') && !groups.has(f.group))
      err(`faults.${i}.group`, `no group is called "${f.group}"`);
  });
  let lastOp = 0;
  c.ops?.forEach((o, i) => {
    if (o.tick < lastOp)
      err(`ops.${i}.tick`, `scripted operations must be in tick order (tick ${o.tick} comes after tick ${lastOp})`);
    lastOp = Math.max(lastOp, o.tick);
    if (!agents.has(o.agent)) err(`ops.${i}.agent`, `no agent is called "${o.agent}"`);
  });
  const panelIds = new Set<string>();
  c.panels.forEach((p, i) => {
    if (panelIds.has(p.id)) err(`panels.${i}.id`, `two panels are called "${p.id}"`);
    panelIds.add(p.id);
    const servers = new Set(getArchitecture(p.architecture.kind).serverIds(p.architecture));
    for (const s of p.placement ? dictKeys(p.placement) : []) {
      if (!servers.has(s)) err(`panels.${i}.placement.${s}`, `${p.label} has no server called "${s}"`);
      const g = p.placement ? dictGet(p.placement, s) : undefined;
      if (g !== undefined && !groups.has(g)) err(`panels.${i}.placement.${s}`, `no group is called "${g}"`);
    }
    if (errors.length > 0) return;
    for (const e of semanticErrors(buildScenario(c, p))) err(`panels.${i}${e.path ? `.${e.path}` : ''}`, e.message);
  });
  c.lesson?.steps.forEach((step, i) => {
    if (step.tick > c.duration)
      err(`lesson.steps.${i}.tick`, `tick ${step.tick} is after the comparison's end (${c.duration})`);
    step.claims?.forEach((claim, j) => {
      const path = `lesson.steps.${i}.claims.${j}`;
      if (claim.panel === undefined)
        return err(
          `${path}.panel`,
          `in a comparison every claim names the panel it is checked on (one of ${c.panels.map((p) => p.id).join(', ')})`,
        );
      const panel = c.panels.find((p) => p.id === claim.panel);
      if (!panel) return err(`${path}.panel`, `no panel is called "${claim.panel}"`);
      const servers = new Set(getArchitecture(panel.architecture.kind).serverIds(panel.architecture));
      const known = (id: string): boolean => servers.has(id) || agents.has(id);
      for (const m of claimRefErrors(claim, known, servers)) err(path, m.replace('{where}', `the panel "${panel.id}"`));
    });
  });
  const work = c.agents.length * c.duration * c.panels.length;
  if (work > MAX_COMPARE_WORK)
    err('', `this comparison is too long to run here (agents × ticks × panels = ${work}, at most ${MAX_COMPARE_WORK})`);
  return errors;
}
