import { z } from 'zod';
import { getArchitecture } from '../architectures/registry';
import type { Scenario } from './schema';
import { ScenarioSchema } from './schema';
import type { Claim } from '../lesson/schema';

/**
 * Any input becomes either a scenario or a list of clear, typed errors: never a crash, a
 * hang or a polluted prototype. Stages: size cap, JSON parse, strict schema, semantic checks.
 */

export type ParseError = {
  stage: 'size' | 'json' | 'schema' | 'semantic';
  /** Where in the document, as a path ("actions.3.tick"), or "" for the whole. */
  path: string;
  message: string;
};

export type ParseResult = { ok: true; scenario: Scenario } | { ok: false; errors: ParseError[] };

export const MAX_SCENARIO_CHARS = 2_000_000;

export function parseScenarioText(text: string): ParseResult {
  if (text.length > MAX_SCENARIO_CHARS) {
    return {
      ok: false,
      errors: [
        {
          stage: 'size',
          path: '',
          message: `the scenario is larger than ${MAX_SCENARIO_CHARS.toLocaleString('en')} characters`,
        },
      ],
    };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [{ stage: 'json', path: '', message: `not valid JSON: ${(e as Error).message}` }] };
  }
  return parseScenario(data);
}

export function parseScenario(data: unknown): ParseResult {
  const r = ScenarioSchema.safeParse(data);
  if (!r.success) {
    const errors = r.error.issues.slice(0, 20).map((i: z.core.$ZodIssue) => ({
      stage: 'schema' as const,
      path: i.path.map(String).join('.'),
      message: i.message,
    }));
    return { ok: false, errors };
  }
  const errors = semanticErrors(r.data);
  return errors.length ? { ok: false, errors } : { ok: true, scenario: r.data };
}

/** What the schema cannot say: order, references, names that must not collide. */
export function semanticErrors(s: Scenario): ParseError[] {
  const errors: ParseError[] = [];
  const err = (path: string, message: string): void => {
    if (errors.length < 20) errors.push({ stage: 'semantic', path, message });
  };
  const arch = getArchitecture(s.architecture.kind);
  // Every server the scenario ever has: the first configuration's and those later
  // `configure` actions add (a shard, a projection, a replica).
  const servers = new Set(arch.serverIds(s.architecture));
  const configProblem = arch.checkConfig?.(s.architecture, s.network);
  if (configProblem) err('architecture', configProblem);
  s.actions.forEach((a, i) => {
    if (a.type !== 'configure' || a.config.kind !== s.architecture.kind) return;
    for (const id of arch.serverIds(a.config)) servers.add(id);
    const problem = arch.checkConfig?.(a.config, s.network);
    if (problem) err(`actions.${i}.config`, problem);
  });
  s.durability?.nodes?.forEach((n, i) => {
    if (!servers.has(n.node)) err(`durability.nodes.${i}.node`, `no server in this scenario is called "${n.node}"`);
  });
  const everAgents = new Set<string>();
  s.agents.forEach((a, i) => {
    if (servers.has(a.id)) err(`agents.${i}.id`, `"${a.id}" is the name of a server`);
    if (everAgents.has(a.id)) err(`agents.${i}.id`, `two agents are called "${a.id}"`);
    everAgents.add(a.id);
  });
  let last = 0;
  s.actions.forEach((a, i) => {
    if (a.tick < last)
      err(`actions.${i}.tick`, `actions must be in tick order (tick ${a.tick} comes after tick ${last})`);
    last = Math.max(last, a.tick);
    if (a.tick > s.duration) err(`actions.${i}.tick`, `tick ${a.tick} is after the scenario's end (${s.duration})`);
    if (a.type === 'spawn-agent') {
      if (servers.has(a.agent.id)) err(`actions.${i}.agent.id`, `"${a.agent.id}" is the name of a server`);
      everAgents.add(a.agent.id);
    }
    if (a.type === 'configure' && a.config.kind !== s.architecture.kind) {
      err(
        `actions.${i}.config.kind`,
        `a scenario runs one architecture (${s.architecture.kind}), not ${a.config.kind}`,
      );
    }
  });
  const known = (id: string): boolean => servers.has(id) || everAgents.has(id);
  s.actions.forEach((a, i) => {
    const refs: [string, string][] = [];
    if (a.type === 'op' || a.type === 'remove-agent' || a.type === 'set-workload' || a.type === 'set-fallback')
      refs.push(['agent', a.agent]);
    if (a.type === 'cut-link' || a.type === 'heal-link' || a.type === 'set-link')
      refs.push(['from', a.from], ['to', a.to]);
    if (a.type === 'crash' || a.type === 'recover' || a.type === 'restore' || a.type === 'restore-drill')
      refs.push(['node', a.node]);
    if ((a.type === 'set-durability' || a.type === 'schedule-backups' || a.type === 'backup') && a.node !== undefined)
      refs.push(['node', a.node]);
    if (a.type === 'partition') a.groups.forEach((g, gi) => g.forEach((id, j) => refs.push([`groups.${gi}.${j}`, id])));
    for (const [field, id] of refs)
      if (!known(id)) err(`actions.${i}.${field}`, `no node in this scenario is called "${id}"`);
  });
  s.lesson?.steps.forEach((step, i) => {
    if (step.tick > s.duration)
      err(`lesson.steps.${i}.tick`, `tick ${step.tick} is after the scenario's end (${s.duration})`);
    step.claims?.forEach((c, j) => {
      if (c.panel !== undefined)
        err(
          `lesson.steps.${i}.claims.${j}.panel`,
          'a claim names a panel only in a comparison: a scenario has one world',
        );
      for (const m of claimRefErrors(c, known, servers))
        err(`lesson.steps.${i}.claims.${j}`, m.replace('{where}', 'this scenario'));
    });
  });
  return errors;
}

/**
 * What a claim names that the run does not have: nodes for outcomes, counts, results, crashes
 * and cuts; servers for holdings and facts (an agent's name there is a mistake, not a node).
 * `{where}` is filled in by the caller ("this scenario", a comparison's panel).
 */
export function claimRefErrors(c: Claim, known: (id: string) => boolean, servers: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const refs =
    c.kind === 'outcome' || c.kind === 'count' || c.kind === 'result'
      ? [c.agent]
      : c.kind === 'down'
        ? [c.node]
        : c.kind === 'cut'
          ? [c.from, c.to]
          : [];
  for (const id of refs) if (id !== undefined && !known(id)) out.push(`no node in {where} is called "${id}"`);
  const server = c.kind === 'fact' || c.kind === 'holdings' ? c.node : undefined;
  if (server !== undefined && !servers.has(server)) out.push(`no server in {where} is called "${server}"`);
  return out;
}

export function formatErrors(errors: ParseError[]): string {
  return errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('\n');
}
