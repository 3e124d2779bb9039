/**
 * `npm run fuzz`: the same fast-check properties as `npm test`, on fresh seeds and at many
 * times their runs, printing each counterexample with its seed and path. `npm test` runs them
 * on one fixed seed (src/sim/core/fuzz.testkit.ts), so a commit has one verdict; this is the
 * exploration to run before calling work done. Keep what it finds as a regression test.
 *
 *   npm run fuzz                      one round, every property, 10 times the runs
 *   npm run fuzz -- --times 40        one round at 40 times
 *   npm run fuzz -- --minutes 15      rounds on fresh seeds until 15 minutes have passed
 *   npm run fuzz -- --seed 123        replay one seed
 *   npm run fuzz -- src/sim/history   only the property files under a path
 */
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

interface Args {
  times: number;
  minutes: number | null;
  seed: number | null;
  paths: string[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { times: 10, minutes: null, seed: null, paths: [] };
  const num = (flag: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < min) {
      console.error(`fuzz: ${flag} takes a number of at least ${min} (got ${v ?? 'nothing'})`);
      process.exit(2);
    }
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--times') args.times = num(a, argv[++i], 1);
    else if (a === '--minutes') args.minutes = num(a, argv[++i], 0);
    else if (a === '--seed') args.seed = Math.floor(num(a, argv[++i], 0));
    else if (a === '--help' || a === '-h') {
      console.log(readFileSync(new URL(import.meta.url), 'utf8').split('*/')[0]);
      process.exit(0);
    } else if (a !== undefined) args.paths.push(a);
  }
  return args;
}

/** Test files that use fast-check, under the given paths (default: src and cli). */
function propertyFiles(roots: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) if (name !== 'node_modules') walk(join(p, name));
    } else if (/\.test\.tsx?$/.test(p) && /from 'fast-check'|runs\(/.test(readFileSync(p, 'utf8'))) {
      out.push(relative(process.cwd(), p));
    }
  };
  for (const r of roots) walk(r);
  return out.sort();
}

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { name: string; assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
}

const args = parseArgs(process.argv.slice(2));
const files = propertyFiles(args.paths.length > 0 ? args.paths : ['src', 'cli']);
if (files.length === 0) {
  console.error('fuzz: no property test files found');
  process.exit(2);
}
mkdirSync('test-results', { recursive: true });
const started = Date.now();
const deadline = args.minutes === null ? null : started + args.minutes * 60_000;
let rounds = 0;
let found = 0;
console.log(`fuzz: ${files.length} property files, runs x${args.times}`);
do {
  const seed = args.seed ?? randomInt(0, 2 ** 31);
  rounds++;
  const out = `test-results/fuzz-${seed}.json`;
  console.log(`\n== round ${rounds}: seed ${seed}`);
  const r = spawnSync(
    'npx',
    ['vitest', 'run', ...files, '--reporter=dot', '--reporter=json', `--outputFile.json=${out}`],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, STATELAB_FUZZ_SEED: String(seed), STATELAB_FUZZ_TIMES: String(args.times) },
    },
  );
  let report: VitestJson | null = null;
  try {
    report = JSON.parse(readFileSync(out, 'utf8')) as VitestJson;
  } catch {
    console.error(`fuzz: vitest wrote no report (exit ${r.status}); see above`);
    process.exit(1);
  }
  for (const file of report.testResults) {
    for (const t of file.assertionResults) {
      if (t.status !== 'failed') continue;
      found++;
      const msg = t.failureMessages.join('\n');
      // fast-check's own lines: the seed and path to replay, and the shrunk counterexample.
      const keep = msg
        .split('\n')
        .filter((l) => /seed|Counterexample|Property failed|Error|Expected|Received/.test(l))
        .slice(0, 12);
      console.log(`\nCOUNTEREXAMPLE (seed ${seed}) in ${relative(process.cwd(), file.name)}: ${t.fullName}`);
      for (const l of keep) console.log(`  ${l.length > 2000 ? `${l.slice(0, 2000)}…` : l}`);
    }
  }
  console.log(`round ${rounds}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
  if (args.seed !== null) break;
} while (deadline !== null && Date.now() < deadline);

const secs = Math.round((Date.now() - started) / 1000);
console.log(`\nfuzz: ${rounds} round(s) in ${secs} s, ${found} counterexample(s)`);
process.exit(found > 0 ? 1 : 0);
