import type { DiskEvent, LostWrite, Scenario, World } from '../sim/index';
// Deep imports, not the index: the index would bring the scenario validator (zod) into the
// first page's bundle.
import { getArchitecture } from '../sim/architectures/registry';
import { lostWrites } from '../sim/durability/lost';
import { keyText, shortJson } from './format';

/**
 * The backup timeline's view: each server's disk settings, the backups, and every loss,
 * restore and drill with the writes it lost, write by write. Plain bounded data copied out
 * of the world (null when the scenario never used durability).
 */

export interface LostRow {
  op: number;
  agent: string;
  /** The tick the agent was told `ok`. */
  tick: number;
  key: string;
  value: string;
  certain: boolean;
}

export interface DiskEventView {
  id: string;
  kind: DiskEvent['kind'];
  tick: number;
  node: string;
  title: string;
  detail: string;
  /** The tick the node's data is as of after it (the recovery point), or null. */
  point: number | null;
  lost: LostRow[];
  lostTotal: number;
  /** How many of the listed writes may have survived (they straddle a boundary). */
  maybe: number;
  ok: boolean | null;
  /** A lost disk: the tick of the restore that repaired it, if one followed. */
  repairedAt: number | null;
}

export interface DiskServerView {
  id: string;
  wal: boolean;
  flushEvery: number;
  backupEvery: number;
  /** Without a WAL: the last flush. */
  flushedAt: number | null;
}

export interface BackupView {
  id: number;
  node: string;
  tick: number;
  checksum: string;
  corrupted: boolean;
}

export interface DurabilityView {
  servers: DiskServerView[];
  backups: BackupView[];
  backupCount: number;
  events: DiskEventView[];
}

const LOST_LIMIT = 40;
const BACKUP_LIMIT = 60;
const EVENT_LIMIT = 12;

function rows(list: LostWrite[]): LostRow[] {
  return list.slice(0, LOST_LIMIT).map((l) => ({
    op: l.op,
    agent: l.agent,
    tick: l.completedAt,
    key: keyText(l.key),
    value: l.value === null ? 'deleted' : shortJson(l.value, 24),
    certain: l.certain,
  }));
}

function eventView(w: World, all: readonly DiskEvent[], e: DiskEvent, i: number): DiskEventView {
  const arch = getArchitecture(w.arch.kind);
  const lost = (node: string, point: number, at: number): Pick<DiskEventView, 'lost' | 'lostTotal' | 'maybe'> => {
    const l = lostWrites(w.history, arch, w.arch, node, point, at);
    return { lost: rows(l), lostTotal: l.length, maybe: l.filter((x) => !x.certain).length };
  };
  const none = { lost: [], lostTotal: 0, maybe: 0 };
  switch (e.kind) {
    case 'crash': {
      const title =
        e.disk === 'lost'
          ? `${e.node} lost its disk`
          : e.disk === 'unflushed-lost'
            ? `${e.node} lost power`
            : `${e.node} crashed`;
      const detail =
        e.disk === 'lost'
          ? 'It comes back empty until it is restored from a backup.'
          : e.recoveryPoint === e.tick
            ? 'Its write-ahead log was flushed before every acknowledgement: no acknowledged write is lost.'
            : `It comes back as of its last flush, at tick ${e.recoveryPoint}.`;
      const repair =
        e.disk === 'lost' ? all.slice(i + 1).find((r) => r.kind === 'restore' && r.node === e.node) : undefined;
      return {
        id: `e${i}`,
        kind: e.kind,
        tick: e.tick,
        node: e.node,
        title,
        detail,
        point: e.recoveryPoint < 0 ? null : e.recoveryPoint,
        ok: null,
        repairedAt: repair ? repair.tick : null,
        ...lost(e.node, e.recoveryPoint, e.tick),
      };
    }
    case 'restore':
      return {
        id: `e${i}`,
        kind: e.kind,
        tick: e.tick,
        node: e.node,
        title: `${e.node} restored to tick ${e.target}`,
        detail: `From backup #${e.backup}, rolled forward through the archive to the end of tick ${e.target}.${e.skipped.length ? ` Skipped corrupt backup${e.skipped.length > 1 ? 's' : ''} #${e.skipped.join(', #')}.` : ''}`,
        point: e.target,
        ok: null,
        repairedAt: null,
        ...lost(e.node, e.target, e.tick),
      };
    case 'drill':
      return {
        id: `e${i}`,
        kind: e.kind,
        tick: e.tick,
        node: e.node,
        title: `Restore drill of backup #${e.backup}: ${e.ok ? 'passed' : 'FAILED'}`,
        detail: e.ok
          ? `Restored into a scratch copy; ${e.checked} checksum${e.checked === 1 ? '' : 's'} matched.`
          : (e.problem ?? ''),
        point: null,
        ok: e.ok,
        repairedAt: null,
        ...none,
      };
    case 'corrupt':
      return {
        id: `e${i}`,
        kind: e.kind,
        tick: e.tick,
        node: '',
        title: `Backup #${e.backup} corrupted`,
        detail: 'One value in the stored copy changed; its checksum did not.',
        point: null,
        ok: null,
        repairedAt: null,
        ...none,
      };
  }
}

export function buildDurabilityView(w: World, _s: Scenario): DurabilityView | null {
  const d = w.durability;
  if (!d) return null;
  const servers = Object.keys(w.servers)
    .sort()
    .map((id): DiskServerView => {
      const st = { ...d.defaults, ...(Object.hasOwn(d.overrides, id) ? d.overrides[id] : {}) };
      const disk = Object.hasOwn(d.disks, id) ? d.disks[id] : undefined;
      return {
        id,
        wal: st.wal,
        flushEvery: st.flushEvery,
        backupEvery: st.backupEvery,
        flushedAt: st.wal ? null : (disk?.flushedAt ?? null),
      };
    });
  const backups = d.backups.slice(-BACKUP_LIMIT).map((b): BackupView => ({
    id: b.id,
    node: b.node,
    tick: b.tick,
    checksum: b.checksum.slice(0, 8),
    corrupted: b.corrupted === true,
  }));
  const skip = d.events.length - Math.min(d.events.length, EVENT_LIMIT);
  const events = d.events.slice(skip).map((e, i) => eventView(w, d.events, e, skip + i));
  return { servers, backups, backupCount: d.backups.length, events };
}
