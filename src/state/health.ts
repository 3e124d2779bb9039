import type { World, OpRecord } from '../sim/index';
import type { HealthConfig } from '../sim/health/config';
import type { HealthState, PairHealth } from '../sim/health/health';
import type { HealthStatus } from '../sim/health/constants';
import { meanInterval, phiOf } from '../sim/health/health';

/**
 * The health checks, as the view shows them: for each server, how every node that watches
 * it sees it (healthy / suspected / down, since when, the silence or φ), how long each took
 * to notice its last crash, and its false suspicions. Plain data copied out of the world.
 */

export interface HealthSeenView {
  observer: string;
  target: string;
  status: HealthStatus;
  since: number;
  /** Ticks since the last fresh heartbeat. */
  silence: number;
  /** φ now, for the φ detector (two decimals); null for the timeout detector. */
  phi: number | null;
}

export interface NoticedView {
  observer: string;
  /** Ticks from the crash to suspicion / to "down"; null: not (yet). */
  toSuspect: number | null;
  toDown: number | null;
}

export interface FalseSuspicionView {
  observer: string;
  at: number;
  until: number | null;
  cause: 'cut' | 'late';
}

export interface ServerHealthView {
  /** The worst any watcher concludes; `unwatched` when nobody watches it. */
  verdict: HealthStatus | 'unwatched';
  suspectedBy: number;
  downBy: number;
  watchers: number;
  seenBy: HealthSeenView[];
  /** Its last crash (now or earlier) and who noticed it when. */
  lastCrash: { at: number; noticed: NoticedView[] } | null;
  falseSuspicions: number;
  recentFalse: FalseSuspicionView[];
}

export interface HealthSummaryView {
  config: HealthConfig;
  heartbeatsSent: number;
  falseSuspicions: number;
}

const RANK: Record<HealthStatus, number> = { healthy: 0, suspected: 1, down: 2 };

export function seenView(h: HealthState, observer: string, target: string, v: PairHealth, now: number): HealthSeenView {
  const silence = Math.max(0, now - v.lastHeard);
  return {
    observer,
    target,
    status: v.status,
    since: v.since,
    silence,
    phi: h.config.detector === 'phi' ? Math.round(phiOf(silence, meanInterval(h, v)) * 100) / 100 : null,
  };
}

export function serverHealth(w: World, id: string): ServerHealthView | null {
  const h = w.health;
  if (!h) return null;
  const watchers = Object.hasOwn(h.watchers, id) ? h.watchers[id]! : [];
  const seenBy: HealthSeenView[] = [];
  for (const o of watchers) {
    const v = Object.hasOwn(h.views, o) && Object.hasOwn(h.views[o]!, id) ? h.views[o]![id]! : undefined;
    if (v) seenBy.push(seenView(h, o, id, v, w.now));
  }
  let verdict: HealthStatus | 'unwatched' = seenBy.length === 0 ? 'unwatched' : 'healthy';
  for (const s of seenBy)
    if (verdict === 'unwatched' || RANK[s.status] > RANK[verdict as HealthStatus]) verdict = s.status;
  let lastAt: number | null = null;
  for (let i = h.detections.length - 1; i >= 0; i--) {
    if (h.detections[i]!.target === id) {
      lastAt = h.detections[i]!.crashedAt;
      break;
    }
  }
  const noticed =
    lastAt === null
      ? []
      : h.detections
          .filter((d) => d.target === id && d.crashedAt === lastAt)
          .map((d) => ({
            observer: d.observer,
            toSuspect: d.suspectedAt === null ? null : d.suspectedAt - d.crashedAt,
            toDown: d.downAt === null ? null : d.downAt - d.crashedAt,
          }));
  const mine = h.falseSuspicions.filter((f) => f.target === id);
  return {
    verdict,
    suspectedBy: seenBy.filter((s) => s.status === 'suspected').length,
    downBy: seenBy.filter((s) => s.status === 'down').length,
    watchers: seenBy.length,
    seenBy,
    lastCrash: lastAt === null ? null : { at: lastAt, noticed },
    falseSuspicions: mine.length,
    recentFalse: mine
      .slice(-5)
      .reverse()
      .map((f) => ({ observer: f.observer, at: f.at, until: f.until, cause: f.cause })),
  };
}

/** How an agent's own detector sees the servers it watches. */
export function agentSees(w: World, agent: string): HealthSeenView[] {
  const h = w.health;
  if (!h || !Object.hasOwn(h.views, agent)) return [];
  const mine = h.views[agent]!;
  return Object.keys(mine)
    .sort()
    .map((t) => seenView(h, agent, t, mine[t]!, w.now));
}

export function healthSummary(w: World): HealthSummaryView | null {
  const h = w.health;
  return h
    ? { config: h.config, heartbeatsSent: h.stats.heartbeatsSent, falseSuspicions: h.stats.falseSuspicions }
    : null;
}

/** What a fallback did to an operation, and what it cost in staleness, in words. */
export function viaText(r: OpRecord): string | null {
  const v = r.via;
  if (!v) return null;
  switch (v.fallback) {
    case 'fail-fast':
      return `fallback fail-fast: ${v.suspected} suspected, failed at once, never sent (no stale data, no answer)`;
    case 'retry-other':
      return v.to
        ? `fallback retry-other: ${v.suspected} suspected, sent to ${v.to} instead (as fresh as ${v.to} is)`
        : `fallback retry-other: ${v.suspected} suspected and no other server could serve it`;
    case 'cache':
      return v.staleFor !== undefined
        ? `fallback cache: ${v.suspected} suspected, served from ${r.agent}'s cache, stale by ${v.staleFor} tick${v.staleFor === 1 ? '' : 's'}`
        : `fallback cache: ${v.suspected} suspected and the cache could not answer`;
  }
}

export const STATUS_GLYPH: Record<HealthStatus | 'unwatched', string> = {
  healthy: '✓',
  suspected: '?',
  down: '✗',
  unwatched: '',
};
