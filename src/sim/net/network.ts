import type { Dict } from '../core/dict';
import { dictDelete, dictGet, dictHas, dictSet } from '../core/dict';
import type { NetworkConfig } from '../scenario/schema';
import type { Message } from '../engine/types';

/**
 * The network as data. Links are directed: a→b can be cut while b→a still works. A link's
 * settings are the scenario's defaults unless an override exists for that direction.
 */
export interface LinkOverride {
  latency?: number;
  loss?: number;
  duplication?: number;
}

export interface DroppedMessage {
  id: number;
  from: string;
  to: string;
  sentAt: number;
  /** The tick it died, and why: so the diagram can fade it where it died. */
  at: number;
  why: 'lost' | 'cut' | 'crashed' | 'by-hand';
}

export interface NetState {
  config: NetworkConfig;
  overrides: Dict<LinkOverride>;
  /** Directed links that are cut, as "from>to" keys. */
  cut: Dict<true>;
  crashed: Dict<true>;
  /** In flight, ordered by (deliverAt, id). */
  inFlight: Message[];
  /** The most recent drops (a short window for the diagram; counts are in metrics). */
  recentDrops: DroppedMessage[];
}

export const RECENT_DROPS = 32;

export function linkKey(from: string, to: string): string {
  return `${from}>${to}`;
}

export function initNet(config: NetworkConfig): NetState {
  return { config, overrides: {}, cut: {}, crashed: {}, inFlight: [], recentDrops: [] };
}

export function isCut(net: NetState, from: string, to: string): boolean {
  return dictHas(net.cut, linkKey(from, to));
}

export function setCut(net: NetState, from: string, to: string, cut: boolean): void {
  if (cut) dictSet(net.cut, linkKey(from, to), true);
  else dictDelete(net.cut, linkKey(from, to));
}

export function isCrashed(net: NetState, node: string): boolean {
  return dictHas(net.crashed, node);
}

export function setCrashed(net: NetState, node: string, crashed: boolean): void {
  if (crashed) dictSet(net.crashed, node, true);
  else dictDelete(net.crashed, node);
}

export function linkSettings(net: NetState, from: string, to: string): Required<LinkOverride> {
  const o = dictGet(net.overrides, linkKey(from, to));
  return {
    latency: o?.latency ?? net.config.latency,
    loss: o?.loss ?? net.config.loss,
    duplication: o?.duplication ?? net.config.duplication,
  };
}

/** Inserts keeping (deliverAt, id) order; ids only grow, so equal ticks stay in send order. */
export function enqueueMessage(net: NetState, m: Message): void {
  const q = net.inFlight;
  let lo = 0;
  let hi = q.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = q[mid]!;
    if (x.deliverAt < m.deliverAt || (x.deliverAt === m.deliverAt && x.id < m.id)) lo = mid + 1;
    else hi = mid;
  }
  q.splice(lo, 0, m);
}

export function recordDrop(net: NetState, m: Message, at: number, why: DroppedMessage['why']): void {
  net.recentDrops.push({ id: m.id, from: m.from, to: m.to, sentAt: m.sentAt, at, why });
  if (net.recentDrops.length > RECENT_DROPS) net.recentDrops.splice(0, net.recentDrops.length - RECENT_DROPS);
}

/** Why a node cannot hear from another right now, in words; null when it can. */
export function unreachableBecause(net: NetState, from: string, to: string): string | null {
  if (isCrashed(net, to)) return `${to} is crashed`;
  if (isCrashed(net, from)) return `${from} is crashed`;
  if (isCut(net, from, to)) return `the link ${from} → ${to} is cut`;
  return null;
}
