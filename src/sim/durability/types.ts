import type { Dict } from '../core/dict';
import type { ArchitectureConfig, DiskMode } from '../scenario/schema';

/**
 * Durability, backups and point-in-time recovery, as data in the world. The whole of it is
 * absent (`World.durability` undefined) until a scenario or an action uses it, so worlds of
 * scenarios that never do are byte for byte what they were.
 */

/** One server's disk settings (the scenario's defaults, or that node's override). */
export interface DiskSettings {
  /** A write-ahead log flushed before acknowledging. */
  wal: boolean;
  /** Without a WAL: ticks between flushes of the state to disk. */
  flushEvery: number;
  /** Ticks between scheduled backups; 0: none. */
  backupEvery: number;
}

/**
 * What one server's handlers saw, archived so a base backup can be rolled forward to any
 * tick (as PostgreSQL archives its WAL). Each entry is frozen when written: checkpoints of
 * the world share it. `draws` are the numbers the handler drew from the node's random
 * stream, so a replay gets the same ones without touching the world's streams.
 */
export type ArchiveEntry =
  | { at: number; kind: 'message'; from: string; payload: unknown; draws: number[] }
  | { at: number; kind: 'timer'; payload: unknown; draws: number[] }
  | { at: number; kind: 'recover'; draws: number[] }
  | { at: number; kind: 'configure'; from: ArchitectureConfig; to: ArchitectureConfig; draws: number[] }
  /** `reset`: the flushed state the node came back with (unflushed-lost without a WAL). */
  | { at: number; kind: 'crash'; disk: DiskMode; reset: unknown }
  /** The state a restore installed (before its recover). */
  | { at: number; kind: 'restore'; state: unknown };

export type ArchiveInput = ArchiveEntry extends infer E
  ? E extends { draws: number[] }
    ? Omit<E, 'draws'>
    : never
  : never;

export interface NodeDisk {
  /** Without a WAL: the state as of the last flush (frozen), and the tick of that flush. */
  flushed: unknown;
  flushedAt: number;
  /** Handler inputs since this node's first backup; null before it. */
  archive: ArchiveEntry[] | null;
}

export interface Backup {
  /** 1, 2, …: the order backups were taken in. */
  id: number;
  node: string;
  tick: number;
  /** Where in the node's archive the backup was taken: a restore replays from here. */
  archiveAt: number;
  /** The configuration at the backup, which the replay starts with. */
  config: ArchitectureConfig;
  /** The node's state (frozen copy). */
  state: unknown;
  /** The project's world hash (SHA-256 of the canonical JSON) of `state` when taken. */
  checksum: string;
  /** Set when a `corrupt-backup` action damaged it (the checksum is what it was). */
  corrupted?: true;
}

/** What the backup timeline draws: losses, restores, drills. */
export type DiskEvent =
  | {
      kind: 'crash';
      tick: number;
      node: string;
      disk: DiskMode;
      /** The tick the node's recovered data is as of (-1: nothing, it came back empty). */
      recoveryPoint: number;
    }
  | { kind: 'restore'; tick: number; node: string; target: number; backup: number; skipped: number[] }
  | { kind: 'drill'; tick: number; node: string; backup: number; ok: boolean; checked: number; problem: string | null }
  | { kind: 'corrupt'; tick: number; backup: number };

export interface DurabilityState {
  defaults: DiskSettings;
  /** Per-node overrides of the defaults. */
  overrides: Dict<Partial<DiskSettings>>;
  disks: Dict<NodeDisk>;
  backups: Backup[];
  events: DiskEvent[];
}
