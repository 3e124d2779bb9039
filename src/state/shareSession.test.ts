import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { Scenario } from '../sim/index';
import { defaultScenario, faultsScenario } from '../sim/scenario/builtins';
import { worldAt, worldHash } from '../sim/engine/engine';
import { makeEnvelope } from '../sim/scenario/codec';
import { linkFor } from './share';
import { createRecentWork, memoryWorkDb } from './recentWork';
import type { RecentWork } from './recentWork';
import { createShareStore, menuIdOf, planStartup } from './shareSession';
import type { Startup } from './shareSession';

function edited(name = 'Mine'): Scenario {
  return { ...defaultScenario(), name, actions: [{ tick: 30, type: 'crash', node: 'store' }] };
}

/**
 * A stand-in for the lab store: open() bumps `opened` (before switching, as the lab does),
 * then the rev and the cursor; hashes come later, as from the worker.
 */
function fakeLab() {
  const lab = createStore<{
    scenario: Scenario;
    cursor: number;
    rev: number;
    opened: number;
    hash: { tick: number; rev: number; hash: string } | null;
    id: string;
  }>()(() => ({
    scenario: defaultScenario(),
    cursor: 0,
    rev: 0,
    opened: 0,
    hash: null,
    id: 'default',
  }));
  const open = (scenario: Scenario, tick: number, id: string): void => {
    lab.setState((s) => ({ opened: s.opened + 1 }));
    lab.setState((s) => ({ scenario, cursor: tick, rev: s.rev + 1, hash: null, id }));
  };
  /** An edit of the scenario on screen (an act): no new entry. */
  const edit = (scenario: Scenario): void => lab.setState((s) => ({ scenario, rev: s.rev + 1, hash: null }));
  const deliverHash = (hash?: string): void => {
    const s = lab.getState();
    lab.setState({ hash: { tick: s.cursor, rev: s.rev, hash: hash ?? worldHash(worldAt(s.scenario, s.cursor)) } });
  };
  return { lab, open, edit, deliverHash };
}

function env(db = memoryWorkDb(), tab = 'T') {
  const timers: (() => void)[] = [];
  let cleared = 0;
  let t = 0;
  const recent: RecentWork = createRecentWork({
    db,
    channel: null,
    tab,
    remember: () => undefined,
    now: () => ++t,
    follower: false,
  });
  return {
    db,
    recent,
    timers: { set: (cb: () => void) => timers.push(cb), clear: () => undefined },
    clearLink: () => void cleared++,
    runTimers: () => timers.splice(0).forEach((f) => f()),
    get cleared() {
      return cleared;
    },
  };
}

const hashOf = (url: string): string => new URL(url).hash;
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('planStartup', () => {
  it('nothing, a link, this tab’s work, a broken link, a lesson, both links', () => {
    expect(planStartup('', null)).toEqual({ kind: 'none', error: null });
    const link = hashOf(linkFor(faultsScenario(), 100, 'https://x.test/'));
    expect(planStartup(link, null)).toMatchObject({ kind: 'link', notice: null });
    expect(planStartup(link, 'T:1').kind).toBe('link');
    expect(planStartup('', 'T:1')).toEqual({ kind: 'resume', id: 'T:1', error: null });
    const broken = planStartup(link.slice(0, 40), 'T:1');
    expect(broken.kind).toBe('resume');
    if (broken.kind === 'resume')
      expect(broken.error).toMatch(/This link could not be opened.*work in this tab was restored/);
    const garbage = planStartup('#s=z:%%%', null);
    expect(garbage.kind).toBe('none');
    if (garbage.kind === 'none') expect(garbage.error).toMatch(/This link could not be opened/);
    expect(planStartup('#lesson=quorums&step=2', 'T:1').kind).toBe('lesson');
    const both = planStartup(`${link}&lesson=quorums`, null);
    expect(both.kind === 'link' && both.notice).toMatch(
      /a share link and a lesson link \(“quorums”\): the share link was opened/,
    );
  });

  it('knows menu scenarios', () => {
    expect(menuIdOf(defaultScenario())).toBe('default');
    expect(menuIdOf(edited())).toBe('custom');
  });
});

describe('share session', () => {
  it('the default scenario a new tab starts with is nobody’s work: not saved until changed', async () => {
    const { lab, open, edit, deliverHash } = fakeLab();
    const e = env();
    createShareStore(lab, open, e, { kind: 'none', error: null });
    deliverHash();
    e.runTimers();
    await settle();
    expect(e.db.records.size).toBe(0);
    edit(edited('Changed'));
    e.runTimers();
    await settle();
    expect(e.db.records.size).toBe(1);
  });

  it('opens a link at its tick, finds the replay matches, and saves it as a new entry', async () => {
    const { lab, open, deliverHash } = fakeLab();
    const e = env();
    const startup: Startup = { kind: 'link', envelope: makeEnvelope(faultsScenario(), 250), notice: null };
    const share = createShareStore(lab, open, e, startup);
    expect(lab.getState().scenario.name).toBe(faultsScenario().name);
    expect(lab.getState().cursor).toBe(250);
    // The link stays in the address until its entry is stored (a reload before finds it).
    expect(e.cleared).toBe(0);
    deliverHash();
    expect(share.getState().mismatch).toBeNull();
    // Opened from a link, a menu scenario is kept too: a reload brings it back.
    e.runTimers();
    await settle();
    expect(e.recent.store.getState().entries.map((x) => [x.name, x.tick])).toEqual([[faultsScenario().name, 250]]);
    expect(e.cleared).toBe(1);
  });

  it('says so when the replay differs', () => {
    const { lab, open, deliverHash } = fakeLab();
    const env0 = { ...makeEnvelope(faultsScenario(), 250), engine: '0.0.1', hash: '0'.repeat(64) };
    const share = createShareStore(lab, open, env(), { kind: 'link', envelope: env0, notice: null });
    deliverHash();
    expect(share.getState().mismatch).toMatchObject({ recorded: '0'.repeat(64), recordedEngine: '0.0.1' });
  });

  it('autosaves every change into this tab’s entry; opening anything else starts another', async () => {
    const { lab, open, edit, deliverHash } = fakeLab();
    const e = env();
    const share = createShareStore(lab, open, e, { kind: 'none', error: null });
    open(edited(), 70, 'custom');
    deliverHash();
    e.runTimers();
    await settle();
    expect(share.getState().actions.current()).toEqual(makeEnvelope(edited(), 70));
    edit(edited('Mine, edited'));
    e.runTimers();
    await settle();
    expect(e.recent.store.getState().entries.map((x) => x.name)).toEqual(['Mine, edited']);
    // A file, a link, a lesson: a new entry; the work before it stays as it was.
    share.getState().actions.openEnvelope(makeEnvelope(edited('From a file'), 10));
    e.runTimers();
    share.getState().actions.openHash(hashOf(linkFor(edited('From a link'), 5, 'https://x.test/')));
    e.runTimers();
    await settle();
    expect(e.recent.store.getState().entries.map((x) => x.name)).toEqual([
      'From a link',
      'From a file',
      'Mine, edited',
    ]);
    share.getState().actions.openHash('#s=z:nonsense!');
    expect(share.getState().error).toMatch(/This link could not be opened/);
    expect(e.recent.store.getState().entries).toHaveLength(3);
  });

  it('a reload resumes this tab’s work without a question, into the same entry', async () => {
    const db = memoryWorkDb();
    const first = fakeLab();
    const e1 = env(db);
    createShareStore(first.lab, first.open, e1, { kind: 'none', error: null });
    first.open(edited('Before the reload'), 40, 'custom');
    first.deliverHash();
    e1.runTimers();
    await settle();
    const id = e1.recent.store.getState().current!;
    const again = fakeLab();
    const e2 = env(db, 'T');
    createShareStore(again.lab, again.open, e2, planStartup('', id));
    await settle();
    expect(again.lab.getState().scenario.name).toBe('Before the reload');
    expect(again.lab.getState().cursor).toBe(40);
    again.edit(edited('After the reload'));
    e2.runTimers();
    await settle();
    expect([...db.records.keys()]).toEqual([id]);
  });

  it('work it cannot read is said and kept, never replaced', async () => {
    const db = memoryWorkDb();
    db.records.set('T:x', {
      id: 'T:x',
      tab: 'T',
      name: 'odd',
      arch: 'centralized',
      savedAt: 1,
      data: new Uint8Array([1, 2, 3]),
    });
    const { lab, open, edit } = fakeLab();
    const e = env(db, 'T');
    const share = createShareStore(lab, open, e, planStartup('', 'T:x'));
    await settle();
    expect(share.getState().error).toMatch(/could not be restored.*kept as it is in Recent work/);
    edit(edited('New work'));
    e.runTimers();
    await settle();
    expect(db.records.get('T:x')).toMatchObject({ name: 'odd' });
    expect(db.records.size).toBe(2);
  });
});
