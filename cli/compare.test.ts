import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareCommand, loadComparison } from './compare';
import { checkCommand } from './check';
import type { Scoreboard } from '../src/sim/compare/scoreboard';

describe('sim compare', () => {
  it("prints a scoreboard whose numbers are the headless checker's on the exported histories", () => {
    const dir = mkdtempSync(join(tmpdir(), 'statelab-compare-'));
    try {
      let out = '';
      compareCommand(['--json', '--export', dir], (t) => (out += t));
      const panels = (JSON.parse(out) as { panels: { board: Scoreboard; hash: string }[] }).panels;
      const boards = panels.map((p) => p.board);
      // Each panel's end world hash, as a comparison link's results record it.
      for (const p of panels) expect(p.hash, p.board.panel).toMatch(/^[0-9a-f]{64}$/);
      expect(new Set(panels.map((p) => p.hash)).size).toBe(panels.length);
      expect(readdirSync(dir).sort()).toEqual(boards.map((b) => `${b.panel}.history.json`).sort());
      for (const b of boards) {
        const r = checkCommand(join(dir, `${b.panel}.history.json`), {});
        expect(r.format, b.panel).toBe('statelab');
        expect(r.linearizable, b.panel).toBe(b.models.linearizable);
        expect(r.anomalyCounts, b.panel).toEqual(b.anomalies);
        expect(r.sessions?.counts, b.panel).toEqual(b.sessions);
        expect(r.sessions?.holds['monotonic-writes'], b.panel).toBe(b.models['monotonic-writes']);
        expect(r.ops, b.panel).toBe(b.ops.ok + b.ops.fail + b.ops.info);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says what is wrong with a bad file or option', () => {
    expect(() => loadComparison(['--builtin', 'nope'])).toThrow(/no built-in comparison "nope"/);
    expect(() => loadComparison(['x.json'], () => '{"format":1}')).toThrow(/x.json is not a valid comparison/);
    expect(() =>
      loadComparison(['x.json'], () => {
        throw new Error('ENOENT');
      }),
    ).toThrow(/cannot read x.json/);
    expect(() => loadComparison(['--builtin'])).toThrow(/needs a value/);
    expect(loadComparison(['--builtin', 'crash']).faults.some((f) => f.type === 'crash')).toBe(true);
  });
});
