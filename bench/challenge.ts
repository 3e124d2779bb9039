import { performance } from 'node:perf_hooks';
import { gradeLines, loadChallenges } from '../cli/challenge';
import { grade } from '../src/sim/challenge/grade';
import { encodeReceipt, makeReceipt } from '../src/sim/challenge/receipt';
import { SOLUTIONS, solve } from '../src/sim/challenge/solutions.testkit';
import type { Figure } from './engine';

/** Grading 100 receipts (the built-in challenges' known solutions, round-robin), as `sim grade` does. */
export function challengeBench(): Figure[] {
  const files = loadChallenges();
  const receipts = files.map((f) => {
    const attempt = solve(f.scenario, SOLUTIONS[f.challenge.id] ?? {});
    return `#${encodeReceipt(makeReceipt(f.challenge, attempt, grade(f, attempt).hash))}`;
  });
  const lines = Array.from({ length: 100 }, (_, i) => `${receipts[i % receipts.length]}\tstudent${i}`);
  const t = performance.now();
  const rows = gradeLines(lines.join('\n'), files, process.cwd());
  const ms = Math.round(performance.now() - t);
  const passed = rows.filter((r) => r.includes(',pass,')).length;
  if (passed !== 100) throw new Error(`grading the known solutions: ${passed} of 100 passed`);
  return [{ name: `grade 100 receipts (${files.length} challenges' solutions, all pass)`, value: ms, unit: 'ms' }];
}
