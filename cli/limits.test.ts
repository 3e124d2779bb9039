import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wholeNumber } from './limits';
import { runCommand } from './run';
import { auditCommand } from './audit';
import { checkCommand } from './check';
import { traceCommand } from './trace';

const scenario = (over: object = {}): string =>
  JSON.stringify({
    format: 1,
    name: 'limits',
    seed: 1,
    duration: 600,
    architecture: { kind: 'centralized', serviceTime: 1 },
    network: { latency: 2, jitter: 0, loss: 0, duplication: 0 },
    agents: [
      {
        id: 'a1',
        workload: { kind: 'random', keys: ['x'], interval: 3, mix: { get: 1, set: 1, delete: 0, update: 0 } },
        timeout: 20,
        retryEvery: 0,
      },
    ],
    actions: [],
    ...over,
  });

describe('the CLI bounds its numbers and its replays', () => {
  it('refuses a tick beyond the scenario instead of running to it (run --tick 1e12 used to hang)', () => {
    expect(() => runCommand(scenario(), { tick: '1e12' })).toThrow(
      "--tick must be at most the scenario's duration (600), not 1e12",
    );
    expect(() => auditCommand(scenario(), { tick: '601' })).toThrow(/at most the scenario's duration/);
    expect(() => traceCommand(['--to', '1e12'], scenario())).toThrow(/--to must be at most/);
    expect(JSON.parse(runCommand(scenario(), { tick: '600' })).tick).toBe(600);
  });

  it('validates numeric flags: check --max-steps abc and -1 are refused', () => {
    for (const bad of ['abc', '-1', '1.5', '', 'NaN', 'Infinity'])
      expect(() => wholeNumber(bad, '--max-steps', 0, 1), bad).toThrow(/--max-steps must be a whole number ≥ 1/);
    expect(wholeNumber('2000', '--max-steps', 0, 1)).toBe(2000);
    expect(() => runCommand(scenario(), { tick: 'abc' })).toThrow(/--tick must be a whole number ≥ 0/);
    expect(() => traceCommand(['--max-events', '0'], scenario())).toThrow(/--max-events must be a whole number ≥ 1/);
  });

  it('stops a replay at the budget with a message saying how far it got; --no-limits runs it', () => {
    expect(() => runCommand(scenario(), { budget: 200 })).toThrow(
      /^the replay stopped at its budget of 200 events, at tick \d+ of 600 \(\d+ events processed\); run it with --no-limits to go on$/,
    );
    const r = JSON.parse(runCommand(scenario(), { budget: 200, noLimits: true }));
    expect(r.tick).toBe(600);
  });

  it('refuses history records with non-finite ids or times, with a message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'statelab-limits-'));
    try {
      const rec = (over: string): string =>
        `{"ops":[{"id":1,"agent":"a","op":"set","args":{"key":"x","value":1},"invokedAt":0,"completedAt":1,"outcome":"ok","result":{"version":1},"reason":null${over}}]}`;
      const cases: [string, RegExp][] = [
        [',"id":1e999', /ops\[0\]\.id is Infinity: ids and times must be finite numbers/],
        [',"invokedAt":-1e999', /ops\[0\]\.invokedAt is -Infinity/],
        [',"completedAt":1e400', /ops\[0\]\.completedAt is Infinity/],
      ];
      for (const [over, message] of cases) {
        const file = join(dir, 'h.json');
        writeFileSync(file, rec(over));
        expect(() => checkCommand(file, {}), over).toThrow(message);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
