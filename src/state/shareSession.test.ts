import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { Scenario } from '../sim/index';
import { defaultScenario, faultsScenario } from '../sim/scenario/builtins';
import { worldAt, worldHash } from '../sim/engine/engine';
import { makeEnvelope } from '../sim/scenario/codec';
import { AUTOSAVE_KEY, PREVIOUS_KEY, linkFor, memoryStorage, readAutosave, writeAutosave } from './share';
import { createShareStore, menuIdOf, planStartup } from './shareSession';
import type { Startup } from './shareSession';

function edited(): Scenario {
  return { ...defaultScenario(), name: 'Mine', actions: [{ tick: 30, type: 'crash', node: 'store' }] };
}

/** A stand-in for the lab store: open() bumps rev and moves the cursor; hashes come later, as from the worker. */
function fakeLab() {
  const lab = createStore<{
    scenario: Scenario;
    cursor: number;
    rev: number;
    hash: { tick: number; rev: number; hash: string } | null;
    id: string;
  }>()(() => ({
    scenario: defaultScenario(),
    cursor: 0,
    rev: 0,
    hash: null,
    id: 'default',
  }));
  const open = (scenario: Scenario, tick: number, id: string): void => {
    lab.setState((s) => ({ scenario, cursor: tick, rev: s.rev + 1, hash: null, id }));
  };
  const deliverHash = (hash?: string): void => {
    const s = lab.getState();
    lab.setState({ hash: { tick: s.cursor, rev: s.rev, hash: hash ?? worldHash(worldAt(s.scenario, s.cursor)) } });
  };
  return { lab, open, deliverHash };
}

function env(storage = memoryStorage()) {
  const timers: (() => void)[] = [];
  let cleared = 0;
  return {
    storage,
    timers: { set: (cb: () => void) => timers.push(cb), clear: () => undefined },
    clearLink: () => void cleared++,
    runTimers: () => timers.splice(0).forEach((t) => t()),
    get cleared() {
      return cleared;
    },
  };
}

const hashOf = (url: string): string => new URL(url).hash;

describe('planStartup', () => {
  it('nothing, a link, the autosave, a conflict, a broken link', () => {
    const st = memoryStorage();
    expect(planStartup('', st)).toEqual({ kind: 'none', error: null });
    const link = hashOf(linkFor(faultsScenario(), 100, 'https://x.test/'));
    expect(planStartup(link, st).kind).toBe('link');
    writeAutosave(st, makeEnvelope(edited(), 50));
    expect(planStartup('', st).kind).toBe('restore');
    expect(planStartup(link, st).kind).toBe('ask');
    const broken = planStartup(link.slice(0, 40), st);
    expect(broken.kind).toBe('restore');
    if (broken.kind === 'restore')
      expect(broken.error).toMatch(/This link could not be opened.*saved work was restored/);
    const garbage = planStartup('#s=z:%%%', memoryStorage());
    expect(garbage.kind).toBe('none');
    if (garbage.kind === 'none') expect(garbage.error).toMatch(/This link could not be opened/);
  });

  it('knows menu scenarios', () => {
    expect(menuIdOf(defaultScenario())).toBe('default');
    expect(menuIdOf(edited())).toBe('custom');
  });
});

describe('share session', () => {
  it('opens a link at its tick and finds the replay matches', () => {
    const { lab, open, deliverHash } = fakeLab();
    const e = env();
    const startup: Startup = { kind: 'link', envelope: makeEnvelope(faultsScenario(), 250) };
    const share = createShareStore(lab, open, e, startup);
    expect(lab.getState().scenario.name).toBe(faultsScenario().name);
    expect(lab.getState().cursor).toBe(250);
    expect(e.cleared).toBe(1);
    deliverHash();
    expect(share.getState().mismatch).toBeNull();
    // The hash arriving schedules the autosave.
    e.runTimers();
    const saved = readAutosave(e.storage);
    expect(saved?.ok && saved.envelope.tick).toBe(250);
  });

  it('says so when the replay differs', () => {
    const { lab, open, deliverHash } = fakeLab();
    const env0 = { ...makeEnvelope(faultsScenario(), 250), engine: '0.0.1', hash: '0'.repeat(64) };
    const share = createShareStore(lab, open, env(), { kind: 'link', envelope: env0 });
    deliverHash();
    expect(share.getState().mismatch).toMatchObject({ recorded: '0'.repeat(64), recordedEngine: '0.0.1' });
  });

  it('asks before replacing unsaved work; opening keeps it as previous work, restorable', () => {
    const st = memoryStorage();
    const mine = makeEnvelope(edited(), 50);
    writeAutosave(st, mine);
    const link = makeEnvelope(faultsScenario(), 100);
    const { lab, open, deliverHash } = fakeLab();
    const e = env(st);
    const share = createShareStore(lab, open, e, { kind: 'ask', link, saved: mine });
    expect(share.getState().conflict).not.toBeNull();
    // Nothing is autosaved while the question is open.
    deliverHash();
    e.runTimers();
    expect(st.getItem(AUTOSAVE_KEY)).toBe(JSON.stringify(mine));
    share.getState().actions.resolveConflict('open-link');
    expect(lab.getState().scenario.name).toBe(faultsScenario().name);
    expect(share.getState().previous).toBe('Mine');
    expect(st.getItem(PREVIOUS_KEY)).toBe(JSON.stringify(mine));
    deliverHash();
    e.runTimers();
    share.getState().actions.restorePrevious();
    expect(lab.getState().scenario).toEqual(mine.scenario);
    expect(lab.getState().cursor).toBe(50);
  });

  it('keep working restores the saved work and ignores the link', () => {
    const mine = makeEnvelope(edited(), 50);
    const { lab, open } = fakeLab();
    const e = env();
    const share = createShareStore(lab, open, e, {
      kind: 'ask',
      link: makeEnvelope(faultsScenario(), 100),
      saved: mine,
    });
    share.getState().actions.resolveConflict('keep-working');
    expect(lab.getState().scenario).toEqual(mine.scenario);
    expect(e.cleared).toBe(1);
    expect(share.getState().previous).toBeNull();
  });

  it('autosaves every scenario change, with a hash the lab computed', () => {
    const { lab, open, deliverHash } = fakeLab();
    const e = env();
    const share = createShareStore(lab, open, e, { kind: 'none', error: null });
    open(edited(), 70, 'custom');
    e.runTimers();
    let saved = readAutosave(e.storage);
    expect(saved?.ok && saved.envelope.tick).toBe(0);
    deliverHash();
    e.runTimers();
    saved = readAutosave(e.storage);
    expect(saved?.ok && saved.envelope).toEqual(makeEnvelope(edited(), 70));
    expect(share.getState().actions.current()).toEqual(makeEnvelope(edited(), 70));
  });
});

describe('a link arriving while the page is open', () => {
  it('opens at once over an untouched scenario, asks over edited work', () => {
    const { lab, open, deliverHash } = fakeLab();
    const e = env();
    const share = createShareStore(lab, open, e, { kind: 'none', error: null });
    share.getState().actions.openHash(hashOf(linkFor(faultsScenario(), 90, 'https://x.test/')));
    expect(lab.getState().cursor).toBe(90);
    share.getState().actions.openHash('#s=z:nonsense!');
    expect(share.getState().error).toMatch(/This link could not be opened/);
    open(edited(), 20, 'custom');
    deliverHash();
    share.getState().actions.openHash(hashOf(linkFor(defaultScenario(), 10, 'https://x.test/')));
    expect(share.getState().conflict?.saved.scenario.name).toBe('Mine');
    share.getState().actions.resolveConflict('open-link');
    expect(lab.getState().scenario).toEqual(defaultScenario());
    expect(share.getState().previous).toBe('Mine');
  });
});
