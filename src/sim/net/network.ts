import type { Dict } from '../core/dict';
import { dictDelete, dictGet, dictHas, dictIsEmpty, dictSet } from '../core/dict';
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

// Link keys are looked up on every send and delivery (cuts, overrides, the link's random
// stream). A fresh concatenation must be hashed for each lookup; a memoised one carries its
// hash. Bounded, and it holds nothing the world depends on.
const linkKeys = new Map<string, Map<string, string>>();
let linkKeyCount = 0;

export function linkKey(from: string, to: string): string {
  let row = linkKeys.get(from);
  if (row === undefined) {
    if (linkKeyCount > 1 << 18) {
      linkKeys.clear();
      linkKeyCount = 0;
    }
    row = new Map();
    linkKeys.set(from, row);
  }
  let k = row.get(to);
  if (k === undefined) {
    k = `${from}>${to}`;
    row.set(to, k);
    linkKeyCount += 1;
  }
  return k;
}

export function initNet(config: NetworkConfig): NetState {
  return { config, overrides: {}, cut: {}, crashed: {}, inFlight: [], recentDrops: [] };
}

export function isCut(net: NetState, from: string, to: string): boolean {
  return !dictIsEmpty(net.cut) && dictHas(net.cut, linkKey(from, to));
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

/** A link's settings: read them, do not keep or change them (the defaults' object is shared). */
export function linkSettings(net: NetState, from: string, to: string): Readonly<Required<LinkOverride>> {
  const o = dictIsEmpty(net.overrides) ? undefined : dictGet(net.overrides, linkKey(from, to));
  if (o === undefined) return defaultsOf(net.config);
  return {
    latency: o?.latency ?? net.config.latency,
    loss: o?.loss ?? net.config.loss,
    duplication: o?.duplication ?? net.config.duplication,
  };
}

// The defaults as a link's settings, one object per network configuration (configurations are
// immutable values), so a send over a link without overrides allocates nothing for them.
const defaultLinks = new WeakMap<NetworkConfig, Readonly<Required<LinkOverride>>>();

function defaultsOf(config: NetworkConfig): Readonly<Required<LinkOverride>> {
  let d = defaultLinks.get(config);
  if (d === undefined) {
    d = Object.freeze({ latency: config.latency, loss: config.loss, duplication: config.duplication });
    defaultLinks.set(config, d);
  }
  return d;
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
  // Most land last (a round timer, a reply): push skips splice's set-up.
  if (lo === q.length) q.push(m);
  else q.splice(lo, 0, m);
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
