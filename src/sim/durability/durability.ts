import type { JsonValue } from '../core/json';
import { compareStrings, dictGet, dictKeys, dictSet } from '../core/dict';
import { cloneJson, cloneShared, deepFreeze, hashValue } from '../core/hash';
import { getArchitecture } from '../architectures/registry';
import type { Architecture, Effects, HandlerCtx } from '../architectures/types';
import type { ArchitectureConfig, DiskMode, DurabilityConfig } from '../scenario/schema';
import type { World } from '../engine/types';
import type { ArchiveEntry, Backup, DiskSettings, DurabilityState, NodeDisk } from './types';

/**
 * Durability, backups and point-in-time recovery, generic over the four architectures: the
 * engine calls these at a few fixed points (a handler's input, a crash, the end of a tick,
 * the durability actions). Pure functions of the world; docs/engine.md, "Durability".
 */

/** Used when an action turns durability on in a scenario that does not configure it. */
export const DEFAULT_DISK: DiskSettings = { wal: true, flushEvery: 10, backupEvery: 0 };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A handler input as the engine describes it; the draws are added once the handler ran. */
export type ArchiveInput = DistributiveOmit<Extract<ArchiveEntry, { draws: number[] }>, 'draws'>;

/** A frozen copy: checkpoints of the world share it, and nothing can change it later. */
function frozenCopy<T>(v: T): T {
  return deepFreeze(cloneShared(v === undefined ? (null as T) : v));
}

export function initDurability(config: DurabilityConfig | undefined): DurabilityState {
  const d: DurabilityState = {
    defaults: config
      ? { wal: config.wal, flushEvery: config.flushEvery, backupEvery: config.backupEvery ?? 0 }
      : { ...DEFAULT_DISK },
    overrides: {},
    disks: {},
    backups: [],
    events: [],
  };
  for (const n of config?.nodes ?? []) {
    const o: Partial<DiskSettings> = {};
    if (n.wal !== undefined) o.wal = n.wal;
    if (n.flushEvery !== undefined) o.flushEvery = n.flushEvery;
    if (n.backupEvery !== undefined) o.backupEvery = n.backupEvery;
    dictSet(d.overrides, n.node, o);
  }
  return d;
}

/** Turns the feature on in a world (with the defaults) if an action needs it. */
export function ensureDurability(w: World): DurabilityState {
  if (!w.durability) w.durability = initDurability(undefined);
  return w.durability;
}

export function settingsOf(d: DurabilityState, node: string): DiskSettings {
  return { ...d.defaults, ...(dictGet(d.overrides, node) ?? {}) };
}

/**
 * A server's disk, made when first needed: its state then counts as flushed (what a disk
 * holds when durability is first looked at is what the node had written so far).
 */
export function diskOf(w: World, node: string): NodeDisk {
  const d = ensureDurability(w);
  const got = dictGet(d.disks, node);
  if (got) return got;
  const srv = dictGet(w.servers, node);
  const disk: NodeDisk = {
    flushed: settingsOf(d, node).wal || !srv ? null : frozenCopy(srv.state),
    flushedAt: w.now,
    archive: null,
  };
  dictSet(d.disks, node, disk);
  return disk;
}

/**
 * After a settings change: a server that just gave up its WAL has everything on disk at this
 * moment (its log made it so), so its flushed copy starts as its current state.
 */
export function settingsChanged(w: World, nodes: readonly string[]): void {
  const d = ensureDurability(w);
  for (const id of nodes) {
    const disk = diskOf(w, id);
    const srv = dictGet(w.servers, id);
    if (!srv || settingsOf(d, id).wal || disk.flushed !== null) continue;
    disk.flushed = frozenCopy(srv.state);
    disk.flushedAt = w.now;
  }
}

/** Every server gets its disk when the world is made, so flushes start from the initial state. */
export function initDisks(w: World): void {
  for (const id of dictKeys(w.servers)) diskOf(w, id);
}

// ---------------------------------------------------------------- the archive

export function isArchiving(w: World, node: string): boolean {
  const disk = w.durability ? dictGet(w.durability.disks, node) : undefined;
  return !!disk && disk.archive !== null;
}

/** A context that remembers what the handler drew, so a replay gets the same numbers. */
export function recordingCtx(inner: HandlerCtx): HandlerCtx & { draws: number[] } {
  const draws: number[] = [];
  return {
    get now() {
      return inner.now;
    },
    self: inner.self,
    draws,
    draw(from: number, to: number): number {
      const v = inner.draw(from, to);
      draws.push(v);
      return v;
    },
  };
}

/** The input before the handler runs (it may change the payload in place). */
export function archiveInput(input: ArchiveInput): ArchiveInput {
  if (input.kind === 'message' || input.kind === 'timer') return { ...input, payload: frozenCopy(input.payload) };
  if (input.kind === 'configure') return { ...input, from: frozenCopy(input.from), to: frozenCopy(input.to) };
  return input;
}

export function archiveOf(w: World, node: string): readonly ArchiveEntry[] {
  return (w.durability ? dictGet(w.durability.disks, node)?.archive : null) ?? [];
}

export function archivePush(w: World, node: string, entry: ArchiveEntry): void {
  const disk = w.durability ? dictGet(w.durability.disks, node) : undefined;
  disk?.archive?.push(deepFreeze(entry));
}

// ---------------------------------------------------------------- flushes and backups

function nextMultiple(now: number, k: number): number {
  return (Math.floor(now / k) + 1) * k;
}

/** The next tick after `w.now` at which a server flushes or is backed up, or Infinity. */
export function nextDurabilityTick(w: World): number {
  const d = w.durability;
  if (!d) return Infinity;
  let t = Infinity;
  for (const id of Object.keys(w.servers)) {
    const st = settingsOf(d, id);
    if (!st.wal) t = Math.min(t, nextMultiple(w.now, st.flushEvery));
    if (st.backupEvery > 0) t = Math.min(t, nextMultiple(w.now, st.backupEvery));
  }
  return t;
}

/**
 * The end of tick `t` (after its timers): servers without a WAL whose flush falls due write
 * their state to disk; scheduled backups are taken. A crashed server does neither.
 */
export function endOfTick(w: World, t: number, crashed: (node: string) => boolean): void {
  const d = w.durability;
  if (!d) return;
  for (const id of dictKeys(w.servers)) {
    if (crashed(id)) continue;
    const st = settingsOf(d, id);
    if (!st.wal && t % st.flushEvery === 0) {
      const disk = diskOf(w, id);
      disk.flushed = frozenCopy(w.servers[id]!.state);
      disk.flushedAt = t;
    }
    if (st.backupEvery > 0 && t % st.backupEvery === 0) takeBackup(w, id);
  }
}

export function takeBackup(w: World, node: string): Backup {
  const d = ensureDurability(w);
  const disk = diskOf(w, node);
  if (disk.archive === null) disk.archive = [];
  const state = frozenCopy(w.servers[node]!.state);
  const b: Backup = {
    id: d.backups.length + 1,
    node,
    tick: w.now,
    archiveAt: disk.archive.length,
    config: w.arch,
    state,
    checksum: hashValue(state),
  };
  d.backups.push(b);
  return b;
}

// ---------------------------------------------------------------- crashes

/**
 * What a crash does to the disk, after the architecture dropped what is volatile. Returns the
 * entry to archive. With a WAL every acknowledged write is on disk (the log was flushed
 * before the reply was sent), so `unflushed-lost` loses nothing that was acknowledged.
 */
export function crashDisk(w: World, node: string, disk: DiskMode): void {
  const d = ensureDurability(w);
  const nd = diskOf(w, node);
  const srv = w.servers[node]!;
  const arch = getArchitecture(w.arch.kind);
  const st = settingsOf(d, node);
  let reset: unknown = null;
  let point = w.now;
  if (disk === 'lost') {
    srv.state = arch.initServer(node, w.arch);
    point = -1;
    if (!st.wal) {
      nd.flushed = frozenCopy(srv.state);
      nd.flushedAt = w.now;
    }
  } else if (disk === 'unflushed-lost' && !st.wal && nd.flushed !== null) {
    reset = nd.flushed;
    srv.state = arch.onCrash(thaw(arch, nd.flushed), w.arch);
    point = nd.flushedAt;
  }
  archivePush(w, node, { at: w.now, kind: 'crash', disk, reset });
  if (disk !== 'kept') d.events.push({ kind: 'crash', tick: w.now, node, disk, recoveryPoint: point });
}

/** A live, unfrozen copy of a stored state, with its stable parts frozen again (settle). */
function thaw(arch: Architecture, state: unknown): unknown {
  const s = cloneJson(state);
  arch.settle(s);
  return s;
}

// ---------------------------------------------------------------- restore and drill

export type Chosen = { backup: Backup; skipped: number[] } | { error: string };

/** The backup a restore of `node` to `target` starts from: the one named, or the latest intact one. */
export function chooseBackup(w: World, node: string, target: number, id: number | null): Chosen {
  const backups = w.durability?.backups ?? [];
  if (id !== null) {
    const b = backups[id - 1];
    if (!b) return { error: `there is no backup #${id}` };
    if (b.node !== node) return { error: `backup #${id} is of ${b.node}, not ${node}` };
    if (b.tick > target) return { error: `backup #${id} was taken at tick ${b.tick}, after tick ${target}` };
    if (hashValue(b.state) !== b.checksum) return { error: `backup #${id} fails its checksum: it is corrupt` };
    return { backup: b, skipped: [] };
  }
  const skipped: number[] = [];
  for (let i = backups.length - 1; i >= 0; i--) {
    const b = backups[i]!;
    if (b.node !== node || b.tick > target) continue;
    if (hashValue(b.state) !== b.checksum) {
      skipped.push(b.id);
      continue;
    }
    return { backup: b, skipped };
  }
  return {
    error: `there is no intact backup of ${node} at or before tick ${target}${skipped.length ? ` (#${skipped.join(', #')} fail their checksums)` : ''}`,
  };
}

/** A restore wrote the node's state to its disk (and into the archive, for later replays). */
export function restoredDisk(w: World, node: string): void {
  const disk = diskOf(w, node);
  const state = w.servers[node]!.state;
  archivePush(w, node, { at: w.now, kind: 'restore', state: frozenCopy(state) });
  if (!settingsOf(ensureDurability(w), node).wal) {
    disk.flushed = frozenCopy(state);
    disk.flushedAt = w.now;
  }
}

/** A handler context for a replay: the recorded tick and the recorded draws, in order. */
function replayCtx(self: string, at: number, draws: readonly number[]): HandlerCtx {
  let i = 0;
  return {
    now: at,
    self,
    draw(): number {
      const v = draws[i++];
      if (v === undefined)
        throw new Error(`replay of ${self} at tick ${at}: the handler drew more numbers than it did live`);
      return v;
    },
  };
}

/** One archived input through the architecture's handler; sends and timers are dropped. */
function step(
  arch: Architecture,
  node: string,
  state: unknown,
  config: ArchitectureConfig,
  e: ArchiveEntry,
): { state: unknown; config: ArchitectureConfig } {
  const take = (eff: Effects<unknown>): unknown => eff.state;
  switch (e.kind) {
    case 'message':
      return {
        state: take(arch.onMessage(state, e.from, cloneJson(e.payload), config, replayCtx(node, e.at, e.draws))),
        config,
      };
    case 'timer':
      return { state: take(arch.onTimer(state, cloneJson(e.payload), config, replayCtx(node, e.at, e.draws))), config };
    case 'recover':
      return { state: take(arch.onRecover(state, config, replayCtx(node, e.at, e.draws))), config };
    case 'configure':
      return { state: take(arch.onConfigure(state, e.from, e.to, replayCtx(node, e.at, e.draws))), config: e.to };
    case 'crash': {
      let s = arch.onCrash(state, config);
      if (e.disk === 'lost') s = arch.initServer(node, config);
      else if (e.reset !== null) s = arch.onCrash(thaw(arch, e.reset), config);
      return { state: s, config };
    }
    case 'restore':
      return { state: thaw(arch, e.state), config };
  }
}

/**
 * Point-in-time recovery into a scratch copy: the backup, then every archived input up to
 * the end of tick `target` through the architecture's own handlers. `check` is called
 * before the input at each archive index (and at the archive's end) with the state there.
 */
export function rollForward(
  w: World,
  b: Backup,
  target: number,
  check?: (index: number, state: unknown) => void,
): unknown {
  const arch = getArchitecture(w.arch.kind);
  const archive = archiveOf(w, b.node);
  let state = thaw(arch, b.state);
  let config = b.config;
  let i = b.archiveAt;
  for (; i < archive.length; i++) {
    const e = archive[i]!;
    if (e.at > target) break;
    check?.(i, state);
    ({ state, config } = step(arch, b.node, state, config, e));
  }
  check?.(i, state);
  return state;
}

/**
 * A restore drill: restores the backup into a scratch copy, rolls it forward through the
 * archive, and checks the checksum of every later backup of the node on the way and the
 * node's current state at the end. The world is not changed.
 */
export function drill(w: World, b: Backup): { ok: boolean; checked: number; problem: string | null } {
  const own = hashValue(b.state);
  if (own !== b.checksum)
    return {
      ok: false,
      checked: 0,
      problem: `backup #${b.id} fails its checksum (${b.checksum.slice(0, 8)} recorded, ${own.slice(0, 8)} read back): it is corrupt`,
    };
  const later = new Map<number, Backup[]>();
  for (const x of w.durability?.backups ?? []) {
    if (x.node !== b.node || x.id === b.id || x.archiveAt < b.archiveAt) continue;
    later.set(x.archiveAt, [...(later.get(x.archiveAt) ?? []), x]);
  }
  const archiveEnd = archiveOf(w, b.node).length;
  let checked = 0;
  let problem: string | null = null;
  rollForward(w, b, Infinity, (i, state) => {
    if (problem || (!later.has(i) && i !== archiveEnd)) return;
    const h = hashValue(state);
    for (const x of later.get(i) ?? []) {
      checked += 1;
      if (h !== x.checksum)
        problem = `rolled forward to backup #${x.id} (tick ${x.tick}), the state's checksum is ${h.slice(0, 8)}, not the recorded ${x.checksum.slice(0, 8)}`;
    }
    if (i === archiveEnd && !problem) {
      checked += 1;
      const live = hashValue(w.servers[b.node]?.state ?? null);
      if (h !== live)
        problem = `rolled forward to tick ${w.now}, the state's checksum is ${h.slice(0, 8)}, not ${b.node}'s ${live.slice(0, 8)}`;
    }
  });
  return { ok: problem === null, checked, problem };
}

/** Bit rot, for drills to find: one number or string in the stored state changes. */
export function corruptBackup(b: Backup): void {
  const s = cloneJson(b.state) as JsonValue;
  const flipped = flipOne(s);
  b.state = deepFreeze(flipped.done ? flipped.v : { corrupted: s });
  b.corrupted = true;
}

function flipOne(v: JsonValue): { v: JsonValue; done: boolean } {
  if (typeof v === 'number') return { v: v + 1, done: true };
  if (typeof v === 'string') return { v: `${v}~`, done: true };
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const r = flipOne(v[i]!);
      if (r.done) {
        v[i] = r.v;
        return { v, done: true };
      }
    }
    return { v, done: false };
  }
  if (v !== null && typeof v === 'object') {
    for (const k of Object.keys(v).sort(compareStrings)) {
      const r = flipOne(v[k]!);
      if (r.done) {
        Object.defineProperty(v, k, { value: r.v, enumerable: true, writable: true, configurable: true });
        return { v, done: true };
      }
    }
  }
  return { v, done: false };
}

/** Freezes again what never changes (backups, flushed copies, archive entries) in a world that arrived as a plain copy. */
export function settleDurability(d: DurabilityState): void {
  for (const b of d.backups) deepFreeze(b.state);
  for (const id of Object.keys(d.disks)) {
    const disk = d.disks[id]!;
    deepFreeze(disk.flushed);
    for (const e of disk.archive ?? []) deepFreeze(e);
  }
}
