import { deflateSync } from 'fflate';
import {
  CODEC,
  MAX_INFLATED_BYTES,
  MAX_LINK_CHARS,
  fromBase64Url,
  inflateCapped,
  toBase64Url,
} from '../scenario/codec';
import { ENGINE_VERSION } from '../version';
import { COMPARE_FRAGMENT, MAX_PANELS } from './limits';
import { dictGet, dictSet, type Dict } from '../core/dict';
import { formatErrors } from '../scenario/validate';
import type { Comparison } from './constants';
import { parseComparison } from './validate';

/**
 * A comparison as one link: `#c=z:<base64url of raw DEFLATE of {v, engine, comparison,
 * results?}>`, the scenario links' codec and caps (scenario/codec.ts) with their own fragment
 * key, so every `#s=` link, golden ones included, reads exactly as before. Everything a
 * comparison shows is computed from it (seed included); `results` (optional) is each panel's
 * world hash at the end, so whoever opens the link can check they see exactly what its maker
 * saw, as a scenario link's `hash` does. `engine` says which engine made it.
 *
 * Still envelope version 1: `results` is optional, and a decoder without it (this one before
 * results existed) reads only `v`, `engine` and `comparison`, so it opens a link with results
 * as it always did, ignoring them; a link without results opens here with nothing to check.
 */

export const COMPARE_PREFIX = COMPARE_FRAGMENT.slice(1);
export const COMPARE_ENVELOPE_VERSION = 1;

/** Panel id → the world hash (64 lowercase hex) of that panel's world at the comparison's end. */
export type PanelHashes = Dict<string>;

export interface CompareEnvelope {
  v: number;
  engine: string;
  comparison: Comparison;
  results?: PanelHashes;
}

export type CompareDecoded =
  | {
      ok: true;
      comparison: Comparison;
      engine: string;
      sameEngine: boolean;
      /** The results the link carries, valid ones only, in panel order; null when none. */
      results: PanelHashes | null;
      /** Why some or all of the link's results were ignored, in words; null when none were. */
      resultsNote: string | null;
    }
  | { ok: false; message: string };

const HASH = /^[0-9a-f]{64}$/;

/** Only the comparison's own panels with a well-formed hash, in panel order (so links are stable). */
function ownResults(c: Comparison, results: PanelHashes): PanelHashes | null {
  const out: PanelHashes = {};
  let n = 0;
  for (const p of c.panels) {
    const h = dictGet(results, p.id);
    if (h !== undefined && HASH.test(h)) {
      dictSet(out, p.id, h);
      n++;
    }
  }
  return n > 0 ? out : null;
}

/** `results`: each panel's end hash (resultsOf), or none for a link that carries only the comparison. */
export function encodeComparison(c: Comparison, results?: PanelHashes | null): string {
  const own = results ? ownResults(c, results) : null;
  const e: CompareEnvelope = {
    v: COMPARE_ENVELOPE_VERSION,
    engine: ENGINE_VERSION,
    comparison: c,
    ...(own ? { results: own } : {}),
  };
  return `${COMPARE_PREFIX}${CODEC}:${toBase64Url(deflateSync(new TextEncoder().encode(JSON.stringify(e)), { level: 9 }))}`;
}

/** The page URL without its fragment, plus the comparison's. */
export function comparisonLink(c: Comparison, pageUrl: string, results?: PanelHashes | null): string {
  const base = pageUrl.split('#')[0] ?? pageUrl;
  return `${base}#${encodeComparison(c, results)}`;
}

/**
 * The results to put in a link: every panel's end hash once every panel has run, else null
 * (a link that carries some panels' results would check only those; a run still going has
 * nothing final to record).
 */
export function resultsOf(c: Comparison, panels: readonly { panel: string; hash: string }[]): PanelHashes | null {
  const got: PanelHashes = {};
  for (const r of panels) dictSet(got, r.panel, r.hash);
  const own = ownResults(c, got);
  return own && Object.keys(own).length === c.panels.length ? own : null;
}

/** A name from a hostile link, short and quoted, for a message. */
const quoted = (k: string): string => JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k);

const listed = (names: string[]): string =>
  names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;

/**
 * The link's `results`, checked like the rest of it: a JSON object of at most MAX_PANELS
 * entries, each naming a panel of this comparison with 64 lowercase hex. What fails is
 * ignored, and said in a sentence; the comparison opens either way.
 */
export function readResults(raw: unknown, c: Comparison): { results: PanelHashes | null; note: string | null } {
  if (raw === undefined) return { results: null, note: null };
  const ignored = 'The results in this link were ignored';
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { results: null, note: `${ignored}: they are not a list of panels and their world hashes.` };
  const entries = raw as Dict<unknown>;
  const keys = Object.keys(entries);
  if (keys.length > MAX_PANELS)
    return {
      results: null,
      note: `${ignored}: there are ${keys.length} of them, more than a comparison has panels (${MAX_PANELS}).`,
    };
  const ids = new Set(c.panels.map((p) => p.id));
  const valid: PanelHashes = {};
  const strangers: string[] = [];
  const malformed: string[] = [];
  for (const k of keys) {
    const v = dictGet(entries, k);
    if (!ids.has(k)) strangers.push(quoted(k));
    else if (typeof v !== 'string' || !HASH.test(v)) malformed.push(quoted(k));
    else dictSet(valid, k, v);
  }
  const results = ownResults(c, valid);
  const why = [
    ...(malformed.length ? [`the result for ${listed(malformed)} is not a world hash (64 lowercase hex digits)`] : []),
    ...(strangers.length
      ? [`${listed(strangers)} ${strangers.length === 1 ? 'is not a panel' : 'are not panels'} of this comparison`]
      : []),
  ];
  const note =
    why.length === 0 ? null : `${results ? 'Some results in this link were ignored' : ignored}: ${why.join('; ')}.`;
  return { results, note };
}

/** A panel whose replay here ends in another world than the link recorded. */
export interface PanelDiffers {
  panel: string;
  recorded: string;
  replayed: string;
}

/** The link's results against this run's, panel by panel, in the comparison's order. */
export interface ResultsCheck {
  same: string[];
  differ: PanelDiffers[];
  /** Panels the link has no result for, or that have not run here. */
  unchecked: string[];
}

export function checkResults(
  c: Comparison,
  recorded: PanelHashes,
  replayed: readonly { panel: string; hash: string }[],
): ResultsCheck {
  const here: PanelHashes = {};
  for (const r of replayed) dictSet(here, r.panel, r.hash);
  const out: ResultsCheck = { same: [], differ: [], unchecked: [] };
  for (const p of c.panels) {
    const want = dictGet(recorded, p.id);
    const got = dictGet(here, p.id);
    if (want === undefined || got === undefined) out.unchecked.push(p.id);
    else if (want === got) out.same.push(p.id);
    else out.differ.push({ panel: p.id, recorded: want, replayed: got });
  }
  return out;
}

export function isComparisonFragment(hash: string): boolean {
  return hash.startsWith(`#${COMPARE_PREFIX}`);
}

/** A fragment, a whole URL or the payload → a comparison or a message a person can read. */
export function decodeComparison(input: string): CompareDecoded {
  const bad = (message: string): CompareDecoded => ({ ok: false, message });
  if (input.length > MAX_LINK_CHARS) return bad('the link is too long');
  let payload = input.trim();
  const at = payload.indexOf('#');
  if (at >= 0) payload = payload.slice(at + 1);
  if (!payload.startsWith(COMPARE_PREFIX)) return bad('this is not a comparison link (it has no "#c=")');
  payload = payload.slice(COMPARE_PREFIX.length);
  if (!payload.startsWith(`${CODEC}:`)) return bad('this comparison link uses a format this version cannot read');
  const bytes = fromBase64Url(payload.slice(CODEC.length + 1));
  if (!bytes) return bad('the link is damaged: it contains characters a link never has, or was cut short');
  const inflated = inflateCapped(bytes, MAX_INFLATED_BYTES);
  if (inflated === 'too-big') return bad('the link unpacks to more than StateLab accepts');
  if (inflated === 'corrupt') return bad('the link is damaged or cut short: its data does not unpack');
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(inflated));
  } catch {
    return bad('the link is damaged: its content is not JSON text');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad('the link holds no comparison');
  const env = raw as { v?: unknown; engine?: unknown; comparison?: unknown; results?: unknown };
  if (env.v === undefined) return bad('the link has no format version');
  // 1.5 or -3 is no version at all, not a newer one.
  if (typeof env.v !== 'number' || !Number.isInteger(env.v) || env.v < 1)
    return bad(`${JSON.stringify(env.v).slice(0, 20)} is not a valid version (a whole number from 1)`);
  if (env.v > COMPARE_ENVELOPE_VERSION) return bad(`this was made by a newer StateLab (comparison format ${env.v})`);
  const parsed = parseComparison(env.comparison);
  if (!parsed.ok) return bad(`the comparison in it is invalid: ${formatErrors(parsed.errors)}`);
  const engine = typeof env.engine === 'string' ? env.engine.slice(0, 40) : 'unknown';
  // Read as an own property only: a parsed `{"__proto__": …}` is data, never the prototype.
  const { results, note } = readResults(Object.hasOwn(env, 'results') ? env.results : undefined, parsed.comparison);
  return {
    ok: true,
    comparison: parsed.comparison,
    engine,
    sameEngine: engine === ENGINE_VERSION,
    results,
    resultsNote: note,
  };
}
