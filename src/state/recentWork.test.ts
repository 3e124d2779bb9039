import { describe, expect, it } from 'vitest';
import { deflateSync, strToU8 } from 'fflate';
import { defaultScenario, gossipScenario } from '../sim/scenario/builtins';
import type { Scenario } from '../sim/index';
import { envelopeFor } from './share';
import { createRecentWork, memoryChannels, memoryWorkDb, packEnvelope } from './recentWork';
import type { RecentWork, WorkChannel, WorkDb } from './recentWork';

const mine = (name: string, base: Scenario = defaultScenario()): Scenario => ({ ...base, name });
const env = (s: Scenario, tick = 0) => envelopeFor(s, tick);

function tab(
  db: WorkDb,
  id: string,
  opts: { channel?: WorkChannel; resume?: string | null; follower?: boolean; clock?: { t: number } } = {},
): RecentWork & { remembered: () => string | null } {
  let remembered: string | null = opts.resume ?? null;
  const clock = opts.clock ?? { t: 0 };
  const r = createRecentWork({
    db,
    channel: opts.channel ?? null,
    tab: id,
    remember: (x) => {
      remembered = x;
    },
    now: () => ++clock.t,
    follower: opts.follower ?? false,
  });
  return Object.assign(r, { remembered: () => remembered });
}

describe('recent work', () => {
  it('keeps one entry per tab and scenario: a new scenario adds one, nothing overwrites another', async () => {
    const db = memoryWorkDb();
    const channels = memoryChannels();
    const clock = { t: 0 };
    const a = tab(db, 'A', { channel: channels(), clock });
    const b = tab(db, 'B', { channel: channels(), clock });
    await a.save(env(mine('first')));
    await a.save(env(mine('first, edited')));
    expect(a.store.getState().entries.map((e) => e.name)).toEqual(['first, edited']);
    // Another tab's save never touches A's entry, and A hears of it.
    await b.save(env(mine('in tab B')));
    await a.refresh();
    expect(a.store.getState().entries.map((e) => [e.tab, e.name])).toEqual([
      ['B', 'in tab B'],
      ['A', 'first, edited'],
    ]);
    // Opening something else in A (a link, a file, a lesson) starts a new entry.
    a.startNew();
    await a.save(env(mine('from a link', gossipScenario())));
    const names = a.store.getState().entries.map((e) => `${e.tab}:${e.name}:${e.arch}`);
    expect(names).toEqual(['A:from a link:gossip', 'B:in tab B:centralized', 'A:first, edited:centralized']);
    expect(a.remembered()).toBe(a.store.getState().current);
    a.dispose();
    b.dispose();
  });

  it('a duplicated tab (same id, copied by the browser) takes a new id and never writes the original’s entry', async () => {
    const db = memoryWorkDb();
    const channels = memoryChannels();
    let n = 0;
    const make = (): RecentWork =>
      createRecentWork({
        db,
        channel: channels(),
        tab: 'A',
        remember: () => undefined,
        now: () => ++n,
        follower: false,
        nonce: `load-${n}`,
        newTab: () => 'A2',
      });
    const original = make();
    await original.save(env(mine('the original')));
    const copy = make();
    expect(original.tab).toBe('A');
    expect(copy.tab).toBe('A2');
    await copy.save(env(mine('the copy, changed')));
    const tabs = [...db.records.values()].map((r) => (r as { tab: string; name: string }).tab).sort();
    expect(tabs).toEqual(['A', 'A2']);
  });

  it('tells other tabs of every change (the channel), not itself', async () => {
    const db = memoryWorkDb();
    const channels = memoryChannels();
    const a = tab(db, 'A', { channel: channels() });
    const b = tab(db, 'B', { channel: channels() });
    await b.refresh();
    expect(b.store.getState().entries).toHaveLength(0);
    await a.save(env(mine('told')));
    await new Promise((r) => setTimeout(r, 0));
    expect(b.store.getState().entries.map((e) => e.name)).toEqual(['told']);
  });

  it('a follower window (audience, embed) never saves', async () => {
    const db = memoryWorkDb();
    await tab(db, 'F', { follower: true }).save(env(mine('followed')));
    expect(db.records.size).toBe(0);
  });

  it('the same scenario saved again in a tab (a lesson link reloaded) is the same entry', async () => {
    const db = memoryWorkDb();
    const a = tab(db, 'A');
    await a.save(env(mine('a lesson'), 10));
    a.startNew();
    await a.save(env(mine('a lesson'), 20));
    expect(db.records.size).toBe(1);
  });

  it('a reload resumes the tab: its saves go on into the same entry, the tick included', async () => {
    const db = memoryWorkDb();
    const a = tab(db, 'A');
    await a.save(env(mine('resumed'), 10));
    const id = a.remembered();
    const again = tab(db, 'A', { resume: id });
    await again.refresh();
    const d = await again.read(id!);
    expect(d?.ok && d.envelope.tick).toBe(10);
    if (d?.ok) again.claim(id!, d.envelope);
    await again.save(env(mine('resumed, edited'), 20));
    expect([...db.records.keys()]).toEqual([id]);
  });

  it('keeps what it cannot read as it is, and says why; exports it all', async () => {
    const db = memoryWorkDb();
    const newer = { ...env(mine('from the future')), v: 99 };
    const future = {
      id: 'Z:1',
      tab: 'Z',
      name: 'from the future',
      arch: 'centralized',
      savedAt: 5,
      data: deflateSync(strToU8(JSON.stringify(newer))),
    };
    db.records.set('Z:1', future);
    db.records.set('odd', { id: 'odd', something: 'else' });
    const a = tab(db, 'A');
    await a.refresh();
    const problems = Object.fromEntries(a.store.getState().entries.map((e) => [e.id, e.problem]));
    expect(problems['Z:1']).toMatch(/newer StateLab \(format 99\)/);
    expect(problems['odd']).toMatch(/shape this version does not know/);
    expect(await a.read('Z:1')).toMatchObject({ ok: false });
    await a.save(env(mine('mine')));
    expect(db.records.get('Z:1')).toBe(future);
    expect(db.records.get('odd')).toEqual({ id: 'odd', something: 'else' });
    const all = JSON.parse(await a.exportAll()) as { entries: { id: string; raw?: string; envelope?: unknown }[] };
    expect(all.entries).toHaveLength(3);
    expect(all.entries.find((e) => e.id === 'Z:1')?.raw).toContain('"v":99');
    expect(all.entries.find((e) => e.id.startsWith('A:'))?.envelope).toMatchObject({ scenario: { name: 'mine' } });
  });

  it('when the storage is full, keeps the newest, removes the oldest and says so', async () => {
    const size = packEnvelope(env(mine('one'))).length;
    const db = memoryWorkDb(size * 2 + 10);
    const clock = { t: 0 };
    const a = tab(db, 'A', { clock });
    const b = tab(db, 'B', { clock });
    await a.save(env(mine('one')));
    await b.save(env(mine('two')));
    b.startNew();
    await b.save(env(mine('three')));
    expect(b.store.getState().entries.map((e) => e.name)).toEqual(['three', 'two']);
    expect(b.store.getState().problem).toBe(
      'The browser’s storage is full: the oldest saved work (“one”) was removed to keep your newest.',
    );
  });

  it('never removes what it cannot read to make room', async () => {
    const size = packEnvelope(env(mine('one'))).length;
    const db = memoryWorkDb(size + 10);
    db.records.set('Z:1', {
      id: 'Z:1',
      tab: 'Z',
      name: 'damaged',
      arch: 'centralized',
      savedAt: 1,
      data: new Uint8Array([9]),
    });
    const a = tab(db, 'A');
    await a.refresh();
    await a.save(env(mine('one')));
    await a.save(env(mine('one, longer now')));
    expect(db.records.get('Z:1')).toMatchObject({ name: 'damaged' });
  });

  it('says so when nothing can be saved at all, and stops saying it once a save succeeds', async () => {
    const db = memoryWorkDb(10);
    const a = tab(db, 'A');
    await a.save(env(mine('too big')));
    expect(a.store.getState().problem).toMatch(/storage is full: this work could not be saved\. Export it/);
    db.setQuota(Infinity);
    await a.save(env(mine('fits now')));
    expect(a.store.getState().problem).toBeNull();
  });

  it('deletes with Undo', async () => {
    const db = memoryWorkDb();
    const a = tab(db, 'A');
    await a.save(env(mine('keep me')));
    const id = a.store.getState().entries[0]!.id;
    await a.remove(id);
    expect(a.store.getState().entries).toHaveLength(0);
    expect(a.store.getState().deleted?.entry.name).toBe('keep me');
    await a.undoRemove();
    expect(a.store.getState().entries.map((e) => e.name)).toEqual(['keep me']);
  });

  it('opening another tab’s entry copies it into this tab once it changes, never writes it', async () => {
    const db = memoryWorkDb();
    const b = tab(db, 'B');
    await b.save(env(mine('B’s')));
    const a = tab(db, 'A');
    await a.refresh();
    const bId = [...db.records.keys()][0]!;
    const d = await a.read(bId);
    expect(d?.ok).toBe(true);
    if (!d?.ok) return;
    a.claim(bId, d.envelope);
    await a.save(d.envelope);
    expect([...db.records.keys()]).toEqual([bId]);
    await a.save(env(mine('B’s, changed in A')));
    const keys = [...db.records.keys()];
    expect(keys).toHaveLength(2);
    expect(keys.filter((k) => k.startsWith('A:'))).toHaveLength(1);
    expect((db.records.get(bId) as { name: string }).name).toBe('B’s');
  });
});
