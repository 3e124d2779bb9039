import { deflateSync } from 'fflate';
import { z } from 'zod';
import { MAX_INFLATED_BYTES, MAX_LINK_CHARS, fromBase64Url, inflateCapped, toBase64Url } from '../scenario/codec';
import type { Scenario } from '../scenario/schema';
import { parseScenario } from '../scenario/validate';
import { firstIssue, scenarioProblem } from './schema';
import { ENGINE_VERSION } from '../version';
import type { Challenge } from './types';

/**
 * A receipt: the challenge's id and version and the attempt's scenario, in a versioned,
 * compressed envelope like a share link's (`#receipt=z:…`). It carries no verdict: whoever
 * opens it replays the attempt and grades it again. It proves that a passing attempt exists,
 * not who made it.
 */
export const RECEIPT_VERSION = 1;

export interface Receipt {
  readonly v: typeof RECEIPT_VERSION;
  readonly engine: string;
  readonly challenge: string;
  /** null: not stated (a file made by hand); graded against the current version. */
  readonly version: number | null;
  readonly scenario: Scenario;
  /** The world hash at the attempt's end when it was made: a replay that differs is said. */
  readonly hash?: string;
}

export function makeReceipt(c: Challenge, scenario: Scenario, hash: string): Receipt {
  return { v: RECEIPT_VERSION, engine: ENGINE_VERSION, challenge: c.id, version: c.version, scenario, hash };
}

/** The fragment (without `#`): `receipt=z:…`. */
export function encodeReceipt(r: Receipt): string {
  return `receipt=z:${toBase64Url(deflateSync(new TextEncoder().encode(JSON.stringify(r)), { level: 9 }))}`;
}

export type DecodedReceipt = { ok: true; receipt: Receipt } | { ok: false; error: string };

/** A receipt link (a whole URL, `#receipt=…` or `z:…`) → a receipt whose scenario is valid, or why not. */
export function decodeReceipt(input: string): DecodedReceipt {
  if (input.length > MAX_LINK_CHARS) return { ok: false, error: 'the receipt is longer than a link can be' };
  let payload = input.trim();
  const hashAt = payload.indexOf('#');
  if (hashAt >= 0) payload = payload.slice(hashAt + 1);
  if (payload.startsWith('receipt=')) payload = payload.slice('receipt='.length);
  else if (payload.startsWith('s=')) return { ok: false, error: 'this is a share link, not a receipt' };
  if (!payload.startsWith('z:')) return { ok: false, error: 'this is not a receipt: it has no "z:" payload' };
  const bytes = fromBase64Url(payload.slice(2));
  if (bytes === null) return { ok: false, error: 'the receipt is damaged: it has characters a link never has' };
  const inflated = inflateCapped(bytes, MAX_INFLATED_BYTES);
  if (inflated === 'too-big') return { ok: false, error: 'the receipt unpacks to more than a scenario may hold' };
  if (inflated === 'corrupt') return { ok: false, error: 'the receipt is damaged or cut short' };
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(inflated));
  } catch {
    return { ok: false, error: 'the receipt is damaged: its content is not JSON text' };
  }
  return receiptFromValue(raw);
}

const ReceiptSchema = z.strictObject({
  v: z.number(),
  engine: z.string().max(40),
  challenge: z.string().max(64),
  version: z.number().int().min(1).max(1_000_000),
  scenario: z.unknown(),
  hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});

/** A receipt's JSON value (or a file `{challenge, scenario}`) → a receipt, validated. */
export function receiptFromValue(raw: unknown): DecodedReceipt {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, error: 'not a receipt: not a JSON object' };
  const obj = raw as Record<string, unknown>;
  // A file made by hand: {"challenge": ID, "scenario": {...}} (the current version is assumed).
  const handMade = !('v' in obj);
  const filled = handMade ? { v: RECEIPT_VERSION, engine: ENGINE_VERSION, version: 1, ...obj } : obj;
  if (filled['v'] !== RECEIPT_VERSION)
    return {
      ok: false,
      error:
        typeof filled['v'] === 'number' && Number.isInteger(filled['v']) && filled['v'] > RECEIPT_VERSION
          ? 'the receipt was made by a newer StateLab'
          : 'the receipt has no valid version',
    };
  const r = ReceiptSchema.safeParse(filled);
  if (!r.success) return { ok: false, error: `not a valid receipt: ${firstIssue(r.error.issues)}` };
  const sc = parseScenario(r.data.scenario);
  if (!sc.ok) return { ok: false, error: scenarioProblem(sc.errors) };
  const version = handMade && !('version' in obj) ? null : r.data.version;
  return {
    ok: true,
    receipt: {
      v: RECEIPT_VERSION,
      engine: r.data.engine,
      challenge: r.data.challenge,
      version,
      scenario: sc.scenario,
      ...(r.data.hash === undefined ? {} : { hash: r.data.hash }),
    },
  };
}
