#!/usr/bin/env -S npx tsx
/**
 * The headless runner: the same engine as the app, in Node. One JSON object on stdout per
 * command, errors on stderr with exit code 2, so scripts and CI can use it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseScenarioText, formatErrors, runLesson, runComparisonLesson, ScenarioSchema } from '../src/sim/index';
import { z } from 'zod';
import { takeNoLimits, wholeNumber } from './limits';

const HELP = `Usage: npm run sim -- <command> [options]

Commands:
  run <scenario.json> [--tick N] [--no-ops] [--no-limits]
        Run a scenario to its end (or to tick N, at most its duration) and print one
        JSON report: hash (the world hash), each agent's operations and outcomes, and
        metrics. A replay stops at the app's budget of events (with a message saying
        how far it got); --no-limits lifts it for batch work (run, audit).
  check <history-file> [--max-steps N]
        Check a history (StateLab JSON, Jepsen etcd log, or Porcupine kv log) for
        linearizability, anomalies and session guarantees; print one JSON object.
  audit <scenario.json> [--tick N] [--key K] [--no-limits]
        The audit trail at the end (or tick N): every change of every key (or of K),
        with agent, operation id, tick, old and new value, version (docs/operations.md).
  schema [--out FILE]
        Print the JSON Schema of the scenario format (generated from the validator).
  sweep gossip [--replicas 10,100,1000] [--modes push,pull,push-pull] [--fanout 1]
        [--trials 200] [--seed 1] [--sequential]
        Rounds until one write reaches every replica (up to 10,000), many seeded trials,
        as CSV with the literature's expectation beside it (docs/gossip.md).
        --sequential: the reference's in-place loop (theory_rounds stays the
        synchronous expectation, so the gap shows how much faster it spreads).
  compare [file] [--builtin partition|no-partition|crash] [--json] [--export DIR]
        Run one workload and one fault schedule on every architecture (a comparison
        file, docs/compare.md, or a built-in one) and print the measured scoreboard,
        the reference table's verdicts and the CAP trade each panel made; --export
        writes each panel's history as DIR/<panel>.history.json for \`sim check\`.
  route [--strategy md5-mod|ranges|consistent] [--shards N] [--vnodes V] [--from N --to M]
        Keys on stdin, one a line: print "key<TAB>shard index" for each (md5-mod is the
        reference's int(md5(key), 16) % N); --from/--to prints the fraction that moves.
  lesson <lesson.json>
        Run a lesson (a scenario or a comparison with a "lesson" field) from start to
        end and check every claim at its step (a comparison's on the panel it names);
        print each step's claims and what was measured.
        Exit code 1 when a claim does not hold.
  trace <scenario.json> [--to T] [--max-events N] [--shiviz out.log]
        [--history out.json] [--json trace.json]
        Record the run as a space-time trace (lanes, events with vector clocks);
        print a summary. --shiviz writes a log ShiViz opens (docs/spacetime.md),
        --history the history JSON that \`check\` reads, --json the trace itself.
  challenge list | challenge show <id>
        The built-in challenges (challenges/*.json) as a JSON array (id, title, kind,
        architecture, budget, property, version), or one in full with its scenario.
  grade <receipts.txt | ->
        Grade a file of attempts, one per line: a receipt link (a label may follow
        after a tab) or the path of a JSON file {"challenge": ID, "scenario": {...}}.
        Each is replayed from scratch and judged; prints CSV:
        challenge,student_label,verdict,faults,par,reason,hash
  help  This text.
`;

/** A JSON object with a "panels" list is a comparison (docs/compare.md); anything else is read as a scenario. */
function looksLikeComparison(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.hasOwn(v, 'panels');
  } catch {
    return false;
  }
}

function fail(message: string): never {
  process.stderr.write(`sim: ${message}\n`);
  process.exit(2);
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined) fail(`${name} needs a value`);
  args.splice(i, 2);
  return v;
}

function readText(path: string | undefined): string {
  if (!path) fail('a file is required (see --help)');
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    fail(`cannot read ${path}: ${(e as Error).message}`);
  }
}

export async function main(argv: string[]): Promise<void> {
  const args = [...argv];
  const cmd = args.shift();
  switch (cmd) {
    case 'run': {
      const tickArg = flag(args, '--tick');
      const noLimits = takeNoLimits(args);
      const noOps = args.includes('--no-ops');
      const file = args.filter((a) => a !== '--no-ops')[0];
      const { runCommand } = await import('./run');
      process.stdout.write(runCommand(readText(file), { tick: tickArg, ops: !noOps, noLimits, file: file ?? '' }));
      return;
    }
    case 'check': {
      const maxSteps = flag(args, '--max-steps');
      const file = args[0];
      if (!file) fail('check needs a history file');
      const { checkCommand } = await import('./check');
      const opts = maxSteps === undefined ? {} : { maxSteps: wholeNumber(maxSteps, '--max-steps', 0, 1) };
      process.stdout.write(JSON.stringify(checkCommand(file, opts), null, 2) + '\n');
      return;
    }
    case 'audit': {
      const tickArg = flag(args, '--tick');
      const key = flag(args, '--key');
      const noLimits = takeNoLimits(args);
      const { auditCommand } = await import('./audit');
      const opts = {
        ...(tickArg === undefined ? {} : { tick: tickArg }),
        ...(key === undefined ? {} : { key }),
        noLimits,
      };
      process.stdout.write(JSON.stringify(auditCommand(readText(args[0]), opts), null, 2) + '\n');
      return;
    }
    case 'schema': {
      const out = flag(args, '--out');
      const schema =
        JSON.stringify(
          z.toJSONSchema(ScenarioSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }),
          null,
          2,
        ) + '\n';
      if (out) writeFileSync(out, schema);
      else process.stdout.write(schema);
      return;
    }
    case 'lesson': {
      const file = args[0];
      const text = readText(file);
      // A comparison (it has panels) narrates several runs on one clock; a scenario one.
      const { parseComparisonText } = await import('../src/sim/compare/validate');
      const isComparison = looksLikeComparison(text);
      const parsed = isComparison ? parseComparisonText(text) : parseScenarioText(text);
      if (!parsed.ok) fail(`${file} is not a valid lesson:\n${formatErrors(parsed.errors)}`);
      const lesson = 'comparison' in parsed ? parsed.comparison.lesson : parsed.scenario.lesson;
      if (!lesson) fail(`${file} is a ${isComparison ? 'comparison' : 'scenario'} without a "lesson" field`);
      const reports = 'comparison' in parsed ? runComparisonLesson(parsed.comparison) : runLesson(parsed.scenario);
      const steps = reports.map((r) => ({
        step: r.index + 1,
        tick: r.step.tick,
        title: r.step.title,
        claims: r.claims.map((c) => ({
          holds: c.holds,
          ...(c.panel === undefined ? {} : { panel: c.panel }),
          says: c.claim.says,
          measured: c.measured,
        })),
      }));
      process.stdout.write(JSON.stringify({ lesson: lesson.id, steps }, null, 2) + '\n');
      if (steps.some((s) => s.claims.some((c) => !c.holds))) process.exitCode = 1;
      return;
    }
    case 'challenge': {
      const { challengeList, loadChallenges } = await import('./challenge');
      const files = loadChallenges();
      const sub = args[0];
      if (sub === 'list') {
        process.stdout.write(JSON.stringify(challengeList(files), null, 2) + '\n');
        return;
      }
      if (sub === 'show') {
        const id = args[1];
        if (!id) fail('challenge show needs an id (see: challenge list)');
        const f = files.find((x) => x.challenge.id === id);
        if (!f) fail(`no challenge "${id.slice(0, 64)}" (see: challenge list)`);
        process.stdout.write(JSON.stringify(f, null, 2) + '\n');
        return;
      }
      fail('challenge takes list or show ID');
      return;
    }
    case 'grade': {
      const file = args[0];
      if (!file) fail('grade needs a file of receipts (one per line; - for standard input)');
      const { gradeLines, loadChallenges } = await import('./challenge');
      const { dirname } = await import('node:path');
      const text = file === '-' ? readFileSync(0, 'utf8') : readText(file);
      process.stdout.write(
        gradeLines(text, loadChallenges(), file === '-' ? process.cwd() : dirname(file)).join('\n') + '\n',
      );
      return;
    }
    case 'route': {
      const { routeCommand } = await import('./route');
      routeCommand(args, readFileSync(0, 'utf8'), (t) => process.stdout.write(t));
      return;
    }
    case 'trace': {
      const file = args[0];
      if (!file || file.startsWith('--')) fail('trace needs a scenario file');
      const text = readText(file);
      const { traceCommand } = await import('./trace');
      process.stdout.write(traceCommand(args.slice(1), text));
      return;
    }
    case 'compare': {
      const { compareCommand } = await import('./compare');
      compareCommand(args, (t) => process.stdout.write(t));
      return;
    }
    case 'sweep': {
      const { sweepCommand } = await import('./sweep');
      sweepCommand(args, (t) => process.stdout.write(t));
      return;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return;
    default:
      fail(`unknown command "${cmd}"\n\n${HELP}`);
  }
}

// A bad file is a message, not a stack trace; STATELAB_DEBUG=1 shows the stack.
main(process.argv.slice(2)).catch((e: unknown) =>
  fail(process.env['STATELAB_DEBUG'] ? ((e as Error).stack ?? String(e)) : e instanceof Error ? e.message : String(e)),
);
