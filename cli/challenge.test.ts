import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { grade } from '../src/sim/challenge/grade';
import { encodeReceipt, makeReceipt } from '../src/sim/challenge/receipt';
import { SOLUTIONS, solve } from '../src/sim/challenge/solutions.testkit';
import { GRADE_HEADER, challengeList, gradeLines, loadChallenges } from './challenge';

describe('sim challenge and sim grade', () => {
  const files = loadChallenges();

  it('lists the built-in challenges with id, title, kind, architecture, budget, property, version', () => {
    const list = challengeList(files) as Record<string, unknown>[];
    expect(list.length).toBeGreaterThanOrEqual(8);
    for (const c of list)
      expect(Object.keys(c).sort()).toEqual(['architecture', 'budget', 'id', 'kind', 'property', 'title', 'version']);
    expect(list[0]?.['id']).toBe('stale-read');
  });

  it('grades a file of receipts and attempt files: a pass, a fail, a forgery, a duplicate, a hostile label', () => {
    const f = files.find((x) => x.challenge.id === 'stale-read')!;
    const good = solve(f.scenario, SOLUTIONS['stale-read'] ?? {});
    const receipt = `https://example.org/#${encodeReceipt(makeReceipt(f.challenge, good, grade(f, good).hash))}`;
    const dir = mkdtempSync(join(tmpdir(), 'statelab-grade-'));
    try {
      writeFileSync(join(dir, 'start.json'), JSON.stringify({ challenge: 'stale-read', scenario: f.scenario }));
      writeFileSync(
        join(dir, 'forged.json'),
        JSON.stringify({ challenge: 'stale-read', scenario: good, verdict: 'pass' }),
      );
      const lines = [
        `${receipt}\tada`,
        `start.json\tbob`,
        `forged.json\tcy`,
        `${receipt}\t=HYPERLINK("x"),"quoted"`,
        'no-such-file.json',
      ];
      const rows = gradeLines(lines.join('\n'), files, dir);
      expect(rows[0]).toBe(GRADE_HEADER);
      expect(rows[1]).toMatch(/^stale-read,ada,pass,1,within,"Found a stale read at tick \d+/);
      expect(rows[2]).toMatch(/^stale-read,bob,fail,0,,Checked a stale read over the whole run: not found/);
      expect(rows[3]).toContain(',cy,fail,');
      expect(rows[3]).toContain('Unrecognized key');
      // The same attempt under another label is flagged; the label is CSV- and formula-safe.
      expect(rows[4]).toContain(`"'=HYPERLINK(""x""),""quoted""",pass`);
      expect(rows[4]).toContain('Flagged: the same attempt as ada.');
      expect(rows[5]).toContain('neither a receipt link nor a file');
      expect(rows).toHaveLength(6);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
