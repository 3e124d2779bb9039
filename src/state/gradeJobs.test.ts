import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { grade } from '../sim/challenge/grade';
import { parseChallengeText } from '../sim/challenge/schema';
import { SOLUTIONS, solve } from '../sim/challenge/solutions.testkit';
import type { FromWorker } from './protocol';
import { inProcessGradeWorker } from './gradeJobs';

describe('the grade worker', () => {
  it('grades as the grader does in this thread: same verdict, same hash; the newest request wins', () => {
    const p = parseChallengeText(readFileSync(join(process.cwd(), 'challenges/stale-read.json'), 'utf8'));
    if (!p.ok) throw new Error(p.error);
    const attempt = solve(p.file.scenario, SOLUTIONS['stale-read'] ?? {});
    const queue: (() => void)[] = [];
    const port = inProcessGradeWorker((cb) => queue.push(cb));
    const got: FromWorker[] = [];
    port.onmessage = (e) => got.push(e.data);
    const ask = (id: number, scenario = attempt): void =>
      port.postMessage({ type: 'grade', id, file: p.file, scenario, version: 1, recorded: null });
    ask(1, p.file.scenario);
    ask(2);
    while (queue.length > 0) queue.shift()?.();
    expect(got).toHaveLength(1);
    const m = got[0];
    if (m?.type !== 'graded') throw new Error('no grade');
    expect(m.id).toBe(2);
    expect(m.grade).toEqual({ challenge: 'stale-read', ...grade(p.file, attempt) });
  });
});
