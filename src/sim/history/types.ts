import type { JsonValue } from '../core/json';

/**
 * Jepsen's three outcomes. `ok`: it happened, with this result. `fail`: it definitely did not
 * happen (the server rejected it). `info`: unknown (timed out, the agent crashed or was
 * removed, or it may have been partly applied); a checker must assume it may take effect at
 * any time after its invocation, or never.
 */
export type Outcome = 'ok' | 'fail' | 'info';

/**
 * One operation an agent issued. Records are created at invocation (outcome null) and
 * completed once; the history is ordered by invocation (id order).
 *
 * Operation names and the shapes of args and result are declared per architecture in its
 * operation registry (see src/sim/architectures/*). For the centralized store:
 *   get            {key}                 -> {value: Json | null, version}   (null: absent)
 *   set            {key, value}          -> {version}
 *   update         {updates: {k: v}}     -> {version}   (atomic multi-key write)
 *   delete         {key}                 -> {version, existed}
 *   get_all        {}                    -> {state: {k: v}, version}
 *   get_version    {}                    -> {version}
 *   get_versioned  {key, version}        -> {value: Json | null}
 *   snapshot       {}                    -> {snapshot: string}
 *   restore        {snapshot}            -> {version}
 */
export interface OpRecord {
  /** Unique in the world, increasing with invocation. */
  id: number;
  /** The agent (Jepsen's process). */
  agent: string;
  op: string;
  args: JsonValue;
  invokedAt: number;
  /** Tick of completion; null while pending. */
  completedAt: number | null;
  outcome: Outcome | null;
  /** The server's result for `ok`; null otherwise. */
  result: JsonValue | null;
  /** Why it failed or is unknown, in words a student can read; null for ok. */
  reason: string | null;
  /**
   * Set only when the agent's fallback acted (its failure detector suspected `suspected`):
   * `fail-fast` failed it unsent; `retry-other` sent it to `to` instead; `cache` answered a
   * read from the agent's own cache, `staleFor` ticks after it last saw that value (the
   * checker judges such a read like any other: a stale one is flagged).
   */
  via?: Via;
}

export interface Via {
  fallback: 'fail-fast' | 'retry-other' | 'cache';
  suspected: string;
  to?: string;
  staleFor?: number;
}

/** The whole history of a run, as the engine records it and `sim run` prints it. */
export interface History {
  ops: OpRecord[];
}
