import { describe, expect, it } from 'vitest';
import type { Scenario } from '../sim/index';
import { defaultScenario, faultsScenario } from '../sim/scenario/builtins';
import { worldAt, worldHash } from '../sim/engine/engine';
import { makeEnvelope, verifyReplay } from '../sim/scenario/codec';
import {
  AUTOSAVE_KEY,
  PREVIOUS_KEY,
  createAutosaver,
  describeError,
  describeMismatch,
  envelopeFor,
  exportContent,
  exportFilename,
  importText,
  isPristine,
  keepAsPrevious,
  linkDecision,
  linkFor,
  memoryStorage,
  readAutosave,
  readLocation,
  readPrevious,
  restorePrevious,
  writeAutosave,
} from './share';

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
  it('writes and reads back the envelope', () => {
    const st = memoryStorage();
    expect(readAutosave(st)).toBeNull();
    const e = makeEnvelope(edited(), 60);
    expect(writeAutosave(st, e)).toBe(true);
    const d = readAutosave(st);
    expect(d?.ok && d.envelope).toEqual(e);
  });

  it('a damaged autosave is reported, not thrown', () => {
    const st = memoryStorage();
    st.setItem(AUTOSAVE_KEY, '{"v":1,');
    const d = readAutosave(st);
    expect(d?.ok).toBe(false);
  });

  it('a storage that throws does not break the app', () => {
    const bad = {
      getItem(): string | null {
        throw new Error('denied');
      },
      setItem(): void {
        throw new Error('quota');
      },
      removeItem(): void {
        throw new Error('denied');
      },
    };
    expect(readAutosave(bad)).toBeNull();
    expect(writeAutosave(bad, makeEnvelope(defaultScenario(), 0))).toBe(false);
  });

  it('asks before a link replaces different unsaved work, and keeps it as previous work', () => {
    const st = memoryStorage();
    const mine = makeEnvelope(edited(), 80);
    const link = makeEnvelope(faultsScenario(), 10);
    expect(linkDecision(link, null)).toBe('open');
    writeAutosave(st, mine);
    expect(linkDecision(link, readAutosave(st))).toBe('ask');
    // The same scenario (at another tick) is not a conflict.
    expect(linkDecision(makeEnvelope(edited(), 5), readAutosave(st))).toBe('open');
    // An untouched menu scenario is not work to lose.
    writeAutosave(st, makeEnvelope(defaultScenario(), 30));
    expect(isPristine(defaultScenario())).toBe(true);
    expect(linkDecision(link, readAutosave(st))).toBe('open');

    // Open the link: the autosave moves to previous work; restoring swaps them back.
    writeAutosave(st, mine);
    expect(keepAsPrevious(st)).toBe(true);
    writeAutosave(st, link);
    const prev = readPrevious(st);
    expect(prev?.ok && prev.envelope).toEqual(mine);
    const restored = restorePrevious(st);
    expect(restored?.ok && restored.envelope).toEqual(mine);
    const now = readAutosave(st);
    expect(now?.ok && now.envelope).toEqual(mine);
    const swapped = readPrevious(st);
    expect(swapped?.ok && swapped.envelope).toEqual(link);
    expect(st.getItem(PREVIOUS_KEY)).not.toBeNull();
  });

  it('debounces writes and flushes on demand', () => {
    const st = memoryStorage();
    const timers: { cb: () => void; id: number }[] = [];
    let seq = 0;
    const saver = createAutosaver(st, {
      set: (cb) => {
        timers.push({ cb, id: ++seq });
        return seq;
      },
      clear: (h) => {
        const i = timers.findIndex((t) => t.id === h);
        if (i >= 0) timers.splice(i, 1);
      },
    });
    let made = 0;
    const make = (s: Scenario) => () => {
      made++;
      return makeEnvelope(s, 0);
    };
    saver.schedule(make(defaultScenario()));
    saver.schedule(make(edited()));
    expect(timers).toHaveLength(1);
    expect(st.getItem(AUTOSAVE_KEY)).toBeNull();
    timers.shift()!.cb();
    expect(made).toBe(1);
    const d = readAutosave(st);
    expect(d?.ok && d.envelope.scenario).toEqual(edited());
    saver.schedule(make(faultsScenario()));
    saver.flush();
    expect(timers).toHaveLength(0);
    const d2 = readAutosave(st);
    expect(d2?.ok && d2.envelope.scenario.name).toBe(faultsScenario().name);
  });
});
