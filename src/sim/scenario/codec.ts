import { Inflate, deflateSync } from 'fflate';
import { z } from 'zod';
import { ENGINE_VERSION } from '../version';
import { worldAt, worldHash } from '../engine/engine';
import type { Scenario } from './schema';
import { LIMITS, ScenarioSchema } from './schema';
import type { ParseError } from './validate';
import { parseScenario } from './validate';

/**
 * Share links and files carry a versioned envelope: {v, engine, scenario, tick, hash}. The
 * hash is the world hash at `tick`, so a replay on another engine that differs is detected
 * and said, never hidden. In a link it travels in the fragment (never the query: static
 * hosts refuse long URLs) as `#s=z:<base64url of raw DEFLATE of the JSON>`.
 *
 * Decoding is a pipeline with a cap at every stage, so any string gets either a scenario or
 * a clear, typed error, before any expensive work: link length, base64 alphabet, inflated
 * size (a decompression bomb stops at the cap), UTF-8, JSON, strict schema, semantic checks,
 * migration of older versions, and only then replay, which stops at the engine's budget of
 * events (REPLAY_BUDGET, docs/engine.md "The cost of a replay") and asks to go on.
 */

export const ENVELOPE_VERSION = 1;
export const CODEC = 'z';
export const MAX_LINK_CHARS = 400_000;
export const MAX_INFLATED_BYTES = 2_000_000;

export interface Envelope {
  v: number;
  engine: string;
  scenario: Scenario;
  tick: number;
  hash: string;
}

export type DecodeStage = 'link' | 'base64' | 'inflate' | 'utf8' | 'json' | 'schema' | 'semantic' | 'migrate' | 'size';
export interface DecodeError {
  stage: DecodeStage;
  message: string;
  details: ParseError[];
}

export type Decoded =
  | {
      ok: true;
      envelope: Envelope;
      /** Set when the replay's hash differs from the recorded one: explain, don't pretend. */
      mismatch: { recorded: string; replayed: string; recordedEngine: string } | null;
      /** Older format versions that were migrated on the way in, if any. */
      migratedFrom: number | null;
    }
  | { ok: false; error: DecodeError };

const EnvelopeSchema = z.strictObject({
  v: z.number().int().min(1).max(ENVELOPE_VERSION),
  engine: z.string().max(40),
  scenario: z.unknown(),
  tick: z.number().int().min(0).max(LIMITS.ticks),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'the hash is 64 hexadecimal digits'),
});

// ------------------------------------------------------------------ base64url

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    if (i + 1 < bytes.length) out += ALPHABET[(n >> 6) & 63]!;
    if (i + 2 < bytes.length) out += ALPHABET[n & 63]!;
  }
  return out;
}

export function fromBase64Url(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let j = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c]! : -1;
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (acc >> bits) & 255;
    }
  }
  return out.subarray(0, j);
}

// ------------------------------------------------------------------ inflate with a cap

/** Raw DEFLATE, fed in small chunks so a bomb is stopped within a chunk's worth past the cap. */
export function inflateCapped(data: Uint8Array, cap: number): Uint8Array | 'too-big' | 'corrupt' {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let over = false;
  const inf = new Inflate((chunk) => {
    total += chunk.length;
    if (total > cap) over = true;
    else chunks.push(chunk);
  });
  try {
    const STEP = 1024;
    for (let i = 0; i < data.length && !over; i += STEP) inf.push(data.subarray(i, i + STEP), i + STEP >= data.length);
    if (data.length === 0) inf.push(new Uint8Array(0), true);
  } catch {
    return over ? 'too-big' : 'corrupt';
  }
  if (over) return 'too-big';
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

// ------------------------------------------------------------------ encode

export function makeEnvelope(scenario: Scenario, tick: number): Envelope {
  const t = Math.max(0, Math.min(Math.floor(tick), scenario.duration));
  return { v: ENVELOPE_VERSION, engine: ENGINE_VERSION, scenario, tick: t, hash: worldHash(worldAt(scenario, t)) };
}

export function envelopeJson(e: Envelope): string {
  return JSON.stringify(e);
}

/** The fragment payload (what follows `#s=`), for an envelope whose hash is already known. */
export function encodeEnvelope(e: Envelope): string {
  const bytes = new TextEncoder().encode(envelopeJson(e));
  return `${CODEC}:${toBase64Url(deflateSync(bytes, { level: 9 }))}`;
}

// ------------------------------------------------------------------ decode

const fail = (stage: DecodeStage, message: string, details: ParseError[] = []): Decoded => ({
  ok: false,
  error: { stage, message, details },
});

/**
 * Migrations from older envelope versions, oldest first: each takes the raw object of
 * version v and returns version v + 1. Version 1 is the first; the table grows with formats.
 */
export const MIGRATIONS: { [from: number]: (raw: Record<string, unknown>) => Record<string, unknown> } = {};

/** Text (a fragment payload, `#s=...`, a whole URL, or a file's JSON) → an envelope or an error. */
export function decodeLink(input: string): Decoded {
  if (input.length > MAX_LINK_CHARS)
    return fail('link', `the link is longer than ${MAX_LINK_CHARS.toLocaleString('en')} characters`);
  let payload = input.trim();
  const hashAt = payload.indexOf('#');
  if (hashAt >= 0) payload = payload.slice(hashAt + 1);
  if (payload.startsWith('s=')) payload = payload.slice(2);
  const colon = payload.indexOf(':');
  if (colon < 0) return fail('link', 'this is not a StateLab link: it has no "codec:payload" part');
  const codec = payload.slice(0, colon);
  if (codec !== CODEC)
    return fail('link', `this link uses a format this version cannot read ("${codec.slice(0, 12)}")`);
  const bytes = fromBase64Url(payload.slice(colon + 1));
  if (!bytes) return fail('base64', 'the link is damaged: it contains characters a link never has, or was cut short');
  const inflated = inflateCapped(bytes, MAX_INFLATED_BYTES);
  if (inflated === 'too-big')
    return fail(
      'inflate',
      `the link unpacks to more than ${MAX_INFLATED_BYTES.toLocaleString('en')} bytes; StateLab refuses it`,
    );
  if (inflated === 'corrupt')
    return fail('inflate', 'the link is damaged or cut short: its compressed data does not unpack');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch {
    return fail('utf8', 'the link is damaged: its content is not text');
  }
  return decodeEnvelopeText(text);
}

/**
 * The JSON of an envelope (as exported to a file) → an envelope or an error. `maxChars`: the
 * size cap; work saved in this browser is the user's own and may be larger than a link's
 * (20,000 actions are about 2.5 MB), so it is read with a larger one.
 */
export function decodeEnvelopeText(text: string, maxChars = MAX_INFLATED_BYTES): Decoded {
  if (text.length > maxChars)
    return fail('size', `the scenario is larger than ${maxChars.toLocaleString('en')} characters`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return fail('json', `the content is not valid JSON (${(e as Error).message.slice(0, 120)})`);
  }
  return decodeEnvelopeValue(raw);
}

export function decodeEnvelopeValue(raw: unknown): Decoded {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return fail(
      'schema',
      `this is not a StateLab file: it holds ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : `a ${typeof raw}`}, not a scenario envelope (a JSON object)`,
    );
  let obj = raw as Record<string, unknown>;
  const v0 = obj['v'];
  if (v0 === undefined) return fail('schema', 'the envelope has no format version ("v")');
  if (typeof v0 !== 'number' || !Number.isInteger(v0) || v0 < 1)
    return fail('schema', `${JSON.stringify(v0).slice(0, 20)} is not a valid version (a whole number from 1)`);
  if (v0 > ENVELOPE_VERSION)
    return fail(
      'migrate',
      `this was made by a newer StateLab (format ${v0}); this one reads up to format ${ENVELOPE_VERSION}`,
    );
  for (let v = v0; v < ENVELOPE_VERSION; v++) {
    const m = MIGRATIONS[v];
    if (!m) return fail('migrate', `no migration from format ${v}`);
    try {
      obj = m(obj);
    } catch (e) {
      return fail('migrate', `format ${v} could not be migrated: ${(e as Error).message}`);
    }
  }
  const env = EnvelopeSchema.safeParse(obj);
  if (!env.success) {
    const details = env.error.issues
      .slice(0, 10)
      .map((i) => ({ stage: 'schema' as const, path: i.path.map(String).join('.'), message: i.message }));
    return fail('schema', 'the envelope is malformed', details);
  }
  const parsed = parseScenario(env.data.scenario);
  if (!parsed.ok) {
    const stage = parsed.errors[0]?.stage === 'semantic' ? 'semantic' : 'schema';
    return fail(
      stage,
      'the scenario in it is invalid',
      parsed.errors.map((e) => ({ ...e, path: e.path ? `scenario.${e.path}` : 'scenario' })),
    );
  }
  const s = parsed.scenario;
  if (env.data.tick > s.duration)
    return fail('semantic', `tick ${env.data.tick} is after the scenario's end (${s.duration})`);
  const envelope: Envelope = {
    v: ENVELOPE_VERSION,
    engine: env.data.engine,
    scenario: s,
    tick: env.data.tick,
    hash: env.data.hash,
  };
  return { ok: true, envelope, mismatch: null, migratedFrom: v0 < ENVELOPE_VERSION ? v0 : null };
}

/**
 * The last stage: replay to the envelope's tick and compare hashes. Kept apart from decoding
 * so the app can run it in a worker with progress, and tests can run it directly.
 */
export function verifyReplay(
  e: Envelope,
  replayedHash = worldHash(worldAt(e.scenario, e.tick)),
): Decoded & { ok: true } {
  return {
    ok: true,
    envelope: e,
    mismatch: replayedHash === e.hash ? null : { recorded: e.hash, replayed: replayedHash, recordedEngine: e.engine },
    migratedFrom: null,
  };
}

export { ScenarioSchema };
