import type { Scenario } from '../sim/index';
import { canonicalJson } from '../sim/core/hash';
import {
  decodeEnvelopeText,
  decodeLink,
  encodeEnvelope,
  envelopeJson,
  makeEnvelope,
  ENVELOPE_VERSION,
} from '../sim/scenario/codec';
import type { DecodeError, Decoded, Envelope } from '../sim/scenario/codec';
import { ENGINE_VERSION } from '../sim/version';
import { scenarioMenu } from './scenarios';

/**
 * Share links, files and autosave: pure functions over the engine's codec
 * (src/sim/scenario/codec.ts). Nothing here touches the DOM or the browser's storage, so it
 * all runs in Node.
 *
 * - A link is `<page url without fragment>#s=z:<payload>`; the envelope in it carries the
 *   scenario, the tick and the world hash at that tick.
 * - A file is the envelope's JSON (pretty-printed); importing goes through the same
 *   decoding pipeline as a link (decodeEnvelopeText).
 * - The autosave (debounced, createAutosaver) writes the work in progress into recent work
 *   (recentWork.ts), where opening anything starts a new entry: nothing is replaced.
 */

export type { Decoded, DecodeError, Envelope };
export { decodeEnvelopeText, envelopeJson };
export type DecodedOk = Extract<Decoded, { ok: true }>;
export type Mismatch = NonNullable<DecodedOk['mismatch']>;

/** The autosave waits this long after the last change before writing. */
export const AUTOSAVE_DEBOUNCE_MS = 500;

// ------------------------------------------------------------------ envelopes and links

/**
 * The envelope of a scenario at a tick. With the world hash at that tick already known (the
 * app computes it in the worker), nothing is replayed; without it, the engine replays to
 * the tick (makeEnvelope).
 */
export function envelopeFor(scenario: Scenario, tick: number, hash?: string): Envelope {
  const t = Math.max(0, Math.min(Math.floor(tick), scenario.duration));
  if (hash !== undefined && /^[0-9a-f]{64}$/.test(hash) && t === tick) {
    return { v: ENVELOPE_VERSION, engine: ENGINE_VERSION, scenario, tick: t, hash };
  }
  return makeEnvelope(scenario, t);
}

/** The page's address without its fragment. */
export function pageUrl(baseUrl: string): string {
  const i = baseUrl.indexOf('#');
  return i < 0 ? baseUrl : baseUrl.slice(0, i);
}

export function linkForEnvelope(envelope: Envelope, baseUrl: string): string {
  return `${pageUrl(baseUrl)}#s=${encodeEnvelope(envelope)}`;
}

/** The share link of a scenario at a tick, on the page at baseUrl (any fragment is replaced). */
export function linkFor(scenario: Scenario, tick: number, baseUrl: string, hash?: string): string {
  return linkForEnvelope(envelopeFor(scenario, tick, hash), baseUrl);
}

/**
 * What the page's fragment (location.hash, with or without '#') holds: null when it is not
 * a share link at all (empty, or some other anchor such as '#main-diagram'), else the
 * decoded envelope or a typed error. The replay check (verifyReplay) is the caller's, once
 * it has replayed to the envelope's tick.
 */
export function readLocation(hash: string): Decoded | null {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  // Page flags may come before or after the link (`#s=…&embed`, `#embed&s=…`); a link's own
  // characters never include '&'.
  const token = h.split('&').find((t) => t.startsWith('s='));
  if (token === undefined) return null;
  return decodeLink(token);
}

// ------------------------------------------------------------------ messages

/** A decoding error as one plain sentence (plus the first few details), for the page. */
export function describeError(error: DecodeError, what: 'link' | 'file' | 'autosave' = 'link'): string {
  const head =
    what === 'link'
      ? 'This link could not be opened'
      : what === 'file'
        ? 'This file could not be imported'
        : 'The saved work could not be restored';
  const details = error.details
    .slice(0, 3)
    .map((d) => (d.path ? `${d.path}: ${d.message}` : d.message))
    .join('; ');
  const more = error.details.length > 3 ? ` (and ${error.details.length - 3} more)` : '';
  return `${head}: ${error.message}${details ? ` (${details}${more})` : ''}.`;
}

/** A world hash as the notices show it: its first 12 hex digits (the full one is a click away). */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}

/**
 * The replay-mismatch notices' sentence on engines (a scenario's here, a comparison's in
 * compareCheck.ts): which engine made the link and what that means.
 */
export function mismatchEngines(recordedEngine: string, engineNow: string = ENGINE_VERSION): string {
  return recordedEngine === engineNow
    ? `It was made with this same engine version (${engineNow}), so this should not happen; please report it.`
    : `It was made with engine ${recordedEngine}; this is engine ${engineNow}, which replays it differently.`;
}

/** The replay-mismatch notice: plain words, both hashes, and which engine made the link. */
export function describeMismatch(m: Mismatch, engineNow: string = ENGINE_VERSION): string {
  return (
    `The replay does not match the link: the world hash recorded in it is ${shortHash(m.recorded)}, ` +
    `but replaying the scenario here gives ${shortHash(m.replayed)}. ${mismatchEngines(m.recordedEngine, engineNow)} What you see is this engine's replay.`
  );
}

// ------------------------------------------------------------------ files

/** A file name for the scenario at a tick: letters, digits and dashes only. */
/** `what`: a suffix naming another export of the same run (`history`, `shiviz`), with its extension. */
export function exportFilename(scenario: Scenario, tick: number, what?: { suffix: string; ext: string }): string {
  const slug = scenario.name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  const tail = what ? `-${what.suffix}.${what.ext}` : '.json';
  return `statelab-${slug || 'scenario'}-t${Math.max(0, Math.floor(tick))}${tail}`;
}

/** The file's content: the envelope's JSON, indented for people who open it. */
export function exportContent(envelope: Envelope): string {
  return `${JSON.stringify(envelope, null, 2)}\n`;
}

/**
 * A file's text (or a pasted link) → an envelope or a typed error, through the codec's
 * pipeline. JSON goes to decodeEnvelopeText; anything else is tried as a link.
 */
export function importText(text: string): Decoded {
  const t = text.replace(/^\uFEFF/, '').trim();
  if (t.startsWith('{') || t.startsWith('[') || t === '') return decodeEnvelopeText(t);
  return decodeLink(t);
}

// ------------------------------------------------------------------ autosave

/** A scenario straight from the menu, untouched: nothing of the user's to lose. */
export function isPristine(scenario: Scenario): boolean {
  const c = canonicalJson(scenario);
  return scenarioMenu.some((e) => canonicalJson(e.make()) === c);
}

/**
 * A debounced autosave: `schedule(envelopeThunk)` after every change; the thunk runs (and
 * the storage is written) once the changes have paused for `ms`. `flush()` writes now (on
 * pagehide). The timer functions are injected so tests run it without a clock.
 */
export function createAutosaver(
  save: (e: Envelope) => boolean,
  timers: { set(cb: () => void, ms: number): unknown; clear(handle: unknown): void },
  ms = AUTOSAVE_DEBOUNCE_MS,
): { schedule(make: () => Envelope): void; flush(): void; cancel(): void; forget(): void } {
  let pending: (() => Envelope) | null = null;
  let handle: unknown = null;
  let last: string | null = null;
  const write = (): void => {
    const make = pending;
    pending = null;
    handle = null;
    if (!make) return;
    const e = make();
    const json = envelopeJson(e);
    if (json === last) return;
    if (save(e)) last = json;
  };
  return {
    schedule(make) {
      pending = make;
      if (handle !== null) timers.clear(handle);
      handle = timers.set(write, ms);
    },
    flush() {
      if (handle !== null) timers.clear(handle);
      write();
    },
    /** The next write goes to a new place (another entry): it is written even if unchanged. */
    forget() {
      last = null;
    },
    cancel() {
      if (handle !== null) timers.clear(handle);
      handle = null;
      pending = null;
    },
  };
}
