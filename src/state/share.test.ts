import { describe, expect, it } from 'vitest';
import type { Scenario } from '../sim/index';
import { defaultScenario, faultsScenario } from '../sim/scenario/builtins';
import { worldAt, worldHash } from '../sim/engine/engine';
import { makeEnvelope, verifyReplay } from '../sim/scenario/codec';
import {
  createAutosaver,
  describeError,
  describeMismatch,
  envelopeFor,
  exportContent,
  exportFilename,
  importText,
  isPristine,
  linkFor,
  readLocation,
} from './share';
import type { Envelope } from './share';

const BASE = 'https://example.test/statelab/index.html';

function edited(name = 'My <b>work</b> <script>alert(1)</script>'): Scenario {
  const s = defaultScenario();
  return { ...s, name, actions: [{ tick: 40, type: 'op', agent: 'agent1', op: 'set', args: { key: 'x', value: 7 } }] };
}

describe('links', () => {
  it('round-trip a scenario and tick through the fragment, and the replay matches', () => {
    const s = edited();
    const link = linkFor(s, 120, `${BASE}#old-anchor`);
    expect(link.startsWith(`${BASE}#s=z:`)).toBe(true);
    const d = readLocation(new URL(link).hash);
    expect(d?.ok).toBe(true);
    if (!d?.ok) return;
    expect(JSON.stringify(d.envelope.scenario)).toBe(JSON.stringify(s));
    expect(d.envelope.tick).toBe(120);
    expect(d.envelope.hash).toBe(worldHash(worldAt(s, 120)));
    expect(verifyReplay(d.envelope).mismatch).toBeNull();
  });

  it('the default scenario makes a short link (figure for the report)', () => {
    const link = linkFor(defaultScenario(), 180, 'https://owner.github.io/statelab/');
    // Comfortably inside a QR code (2,953 bytes at level L, version 40).
    expect(link.length).toBeLessThan(800);
    console.info(`default scenario link: ${link.length} characters`);
  });

  it('uses a hash the app already knows instead of replaying', () => {
    const e = envelopeFor(defaultScenario(), 50, 'a'.repeat(64));
    expect(e.hash).toBe('a'.repeat(64));
    expect(envelopeFor(defaultScenario(), 50).hash).toBe(worldHash(worldAt(defaultScenario(), 50)));
    // A tick out of range is clamped and then replayed (the given hash was for another tick).
    expect(envelopeFor(defaultScenario(), 10_000, 'a'.repeat(64)).tick).toBe(600);
  });

  it('other fragments are not links', () => {
    expect(readLocation('')).toBeNull();
    expect(readLocation('#')).toBeNull();
    expect(readLocation('#main-diagram')).toBeNull();
  });

  it('truncated, garbage and hostile fragments give typed errors, never throw', () => {
    const link = linkFor(edited(), 100, BASE);
    const hash = new URL(link).hash;
    const cut = readLocation(hash.slice(0, Math.floor(hash.length / 2)));
    expect(cut?.ok).toBe(false);
    for (const h of ['#s=', '#s=garbage', '#s=z:!!!!', '#s=z:AAAA', '#s=q:abc', `#s=z:${'A'.repeat(500_000)}`]) {
      const d = readLocation(h);
      expect(d?.ok).toBe(false);
      if (d && !d.ok) expect(describeError(d.error)).toMatch(/^This link could not be opened: .+\.$/);
    }
  });

  it('a mismatch is described plainly, with both hashes and the engine', () => {
    const text = describeMismatch(
      { recorded: '1'.repeat(64), replayed: '2'.repeat(64), recordedEngine: '0.9.0' },
      '1.0.0',
    );
    expect(text).toContain('111111111111');
    expect(text).toContain('222222222222');
    expect(text).toContain('0.9.0');
    expect(text).toMatch(/does not match/);
  });
});

describe('files', () => {
  it('export then import gives the same envelope', () => {
    const e = makeEnvelope(faultsScenario(), 300);
    const d = importText(exportContent(e));
    expect(d.ok).toBe(true);
    if (d.ok) expect(d.envelope).toEqual(e);
    // A byte-order mark and a pasted link are accepted too.
    expect(importText(`\uFEFF${exportContent(e)}`).ok).toBe(true);
    expect(importText(linkFor(faultsScenario(), 300, BASE)).ok).toBe(true);
  });

  it('names files safely', () => {
    expect(exportFilename(edited('Crowd: 50 agents / one store!'), 42)).toBe(
      'statelab-crowd-50-agents-one-store-t42.json',
    );
    expect(exportFilename(edited('<script>'), 0)).toBe('statelab-script-t0.json');
    expect(exportFilename(edited('***'), 3)).toBe('statelab-scenario-t3.json');
  });

  it('broken files get a message', () => {
    for (const text of ['', 'not json', '{"v":1}', '[]', '{"v":99}', '{"__proto__":{"x":1},"v":1}']) {
      const d = importText(text);
      expect(d.ok).toBe(false);
      if (!d.ok) expect(describeError(d.error, 'file')).toMatch(/^This file could not be imported: /);
    }
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });
});

describe('autosave', () => {
  it('knows an untouched menu scenario: nothing of the user’s to keep', () => {
    expect(isPristine(defaultScenario())).toBe(true);
    expect(isPristine(edited())).toBe(false);
  });

  it('debounces writes, skips what it just wrote, and flushes on demand', () => {
    const written: Envelope[] = [];
    const timers: { cb: () => void; id: number }[] = [];
    let seq = 0;
    const saver = createAutosaver(
      (e) => {
        written.push(e);
        return true;
      },
      {
        set: (cb) => {
          timers.push({ cb, id: ++seq });
          return seq;
        },
        clear: (h) => {
          const i = timers.findIndex((t) => t.id === h);
          if (i >= 0) timers.splice(i, 1);
        },
      },
    );
    let made = 0;
    const make = (s: Scenario) => () => {
      made++;
      return makeEnvelope(s, 0);
    };
    saver.schedule(make(defaultScenario()));
    saver.schedule(make(edited()));
    expect(timers).toHaveLength(1);
    expect(written).toHaveLength(0);
    timers.shift()!.cb();
    expect(made).toBe(1);
    expect(written.map((e) => e.scenario)).toEqual([edited()]);
    saver.schedule(make(edited()));
    saver.flush();
    expect(written).toHaveLength(1);
    // After `forget` (another entry), the same envelope is written again.
    saver.forget();
    saver.schedule(make(edited()));
    saver.flush();
    expect(written).toHaveLength(2);
    saver.schedule(make(faultsScenario()));
    saver.flush();
    expect(timers).toHaveLength(0);
    expect(written[2]!.scenario.name).toBe(faultsScenario().name);
  });
});
