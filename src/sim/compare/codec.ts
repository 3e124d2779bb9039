import { deflateSync } from 'fflate';
import { CODEC, MAX_INFLATED_BYTES, MAX_LINK_CHARS, fromBase64Url, inflateCapped, toBase64Url } from '../scenario/codec';
import { ENGINE_VERSION } from '../version';
import { COMPARE_FRAGMENT } from './limits';
import { formatErrors } from '../scenario/validate';
import type { Comparison } from './constants';
import { parseComparison } from './validate';

/**
 * A comparison as one link: `#c=z:<base64url of raw DEFLATE of {v, engine, comparison}>`,
 * the scenario links' codec and caps (scenario/codec.ts) with their own fragment key, so
 * every `#s=` link, golden ones included, reads exactly as before. Everything a comparison
 * shows is computed from it (seed included), so the link carries no results; `engine` says
 * which engine made it, and a different one is reported beside the result.
 */

export const COMPARE_PREFIX = COMPARE_FRAGMENT.slice(1);
export const COMPARE_ENVELOPE_VERSION = 1;

export interface CompareEnvelope {
  v: number;
  engine: string;
  comparison: Comparison;
}

export type CompareDecoded = { ok: true; comparison: Comparison; engine: string; sameEngine: boolean } | { ok: false; message: string };

export function encodeComparison(c: Comparison): string {
  const e: CompareEnvelope = { v: COMPARE_ENVELOPE_VERSION, engine: ENGINE_VERSION, comparison: c };
  return `${COMPARE_PREFIX}${CODEC}:${toBase64Url(deflateSync(new TextEncoder().encode(JSON.stringify(e)), { level: 9 }))}`;
}

/** The page URL without its fragment, plus the comparison's. */
export function comparisonLink(c: Comparison, pageUrl: string): string {
  const base = pageUrl.split('#')[0] ?? pageUrl;
  return `${base}#${encodeComparison(c)}`;
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
  const env = raw as { v?: unknown; engine?: unknown; comparison?: unknown };
  if (typeof env.v !== 'number' || env.v < 1) return bad('the link has no format version');
  if (env.v > COMPARE_ENVELOPE_VERSION) return bad(`this was made by a newer StateLab (comparison format ${env.v})`);
  const parsed = parseComparison(env.comparison);
  if (!parsed.ok) return bad(`the comparison in it is invalid: ${formatErrors(parsed.errors)}`);
  const engine = typeof env.engine === 'string' ? env.engine.slice(0, 40) : 'unknown';
  return { ok: true, comparison: parsed.comparison, engine, sameEngine: engine === ENGINE_VERSION };
}
