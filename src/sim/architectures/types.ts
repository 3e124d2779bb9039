import type { JsonValue } from '../core/json';
import type { ArchitectureConfig, NetworkConfig } from '../scenario/schema';

/** One operation an architecture offers: the registry the UI, the workloads and the CLI read. */
export interface OperationSpec {
  name: string;
  /** What a person reads on the button. */
  label: string;
  /** Argument names, in the order a form asks for them. */
  args: readonly string[];
  /** Result fields, as documented in src/sim/history/types.ts. */
  result: readonly string[];
  /** read: observes state; write: changes it; admin: neither reads nor writes user keys. */
  kind: 'read' | 'write' | 'admin';
  description: string;
}

export interface HandlerCtx {
  now: number;
  self: string;
  /** A draw from this node's own random stream. */
  draw(from: number, to: number): number;
}

/**
 * What a server's summary may read of the rest of the world: its neighbours' states and the
 * network, never the world itself (a summary is words about a state, it decides nothing).
 */
export interface SummaryCtx<S = unknown> {
  /** The server summarised. */
  self: string;
  server(id: string): S | undefined;
  /** The link from → to is cut. */
  isCut(from: string, to: string): boolean;
  isCrashed(id: string): boolean;
}

export interface ServerSummary {
  role: string;
  detail: string;
  version: number | null;
  facts: [label: string, value: string][];
}

/** key → server id → value (null: absent). Built with dictSet: keys are hostile. */
export type Holdings = { [key: string]: { [server: string]: JsonValue | null } };

/** Payloads are plain JSON data (the world's contract); typed loosely so interfaces fit. */
export type Payload = unknown;

export interface Send {
  to: string;
  payload: Payload;
}

export interface SetTimer {
  /** Ticks from now; at least 1 (nothing happens twice in one tick). */
  delay: number;
  payload: Payload;
}

/**
 * What a handler returns. Handlers are deterministic functions of (state, input, ctx); they
 * never send or schedule anything themselves: the runner enqueues `send` and `timers`.
 * They may return the state they were given, updated in place: the engine owns a private
 * working copy of the world (checkpoints are separate copies), and appending to a long
 * version history in place keeps a write O(1) instead of O(history).
 */
export interface Effects<S> {
  state: S;
  send: Send[];
  timers: SetTimer[];
}

/** The request and reply every architecture speaks with agents. */
export interface Request {
  t: 'req';
  /** The operation's id in the history: also the deduplication key. */
  id: number;
  op: string;
  args: { [k: string]: JsonValue };
}

export interface Reply {
  t: 'res';
  id: number;
  outcome: 'ok' | 'fail';
  result: JsonValue;
  reason: string | null;
}

export function isRecord(p: unknown): p is { [k: string]: unknown } {
  return typeof p === 'object' && p !== null && !Array.isArray(p);
}

export function isRequest(p: unknown): p is Request {
  return (
    isRecord(p) && p['t'] === 'req' && typeof p['id'] === 'number' && typeof p['op'] === 'string' && isRecord(p['args'])
  );
}

export function isReply(p: unknown): p is Reply {
  return isRecord(p) && p['t'] === 'res' && typeof p['id'] === 'number';
}

/**
 * An architecture: its servers, their handlers, and the promise it makes (checked by the
 * conformance suite with the history checker as oracle).
 */
export interface Architecture<C extends ArchitectureConfig = ArchitectureConfig, S = unknown> {
  kind: C['kind'];
  label: string;
  /** The promise, in words; docs/engine.md states it precisely. */
  promise: string;
  operations: readonly OperationSpec[];
  serverIds(config: C): string[];
  initServer(id: string, config: C): S;
  /** Which server an agent sends an operation to. */
  route(config: C, agent: string, op: string, args: { [k: string]: JsonValue }): string;
  onMessage(state: S, from: string, payload: Payload, config: C, ctx: HandlerCtx): Effects<S>;
  onTimer(state: S, payload: Payload, config: C, ctx: HandlerCtx): Effects<S>;
  /** A crash loses what is volatile (queues, work in progress); storage stays. */
  onCrash(state: S, config: C): S;
  onRecover(state: S, config: C, ctx: HandlerCtx): Effects<S>;
  /** A configuration change at a tick (an action): may adjust server state. */
  onConfigure(state: S, from: C, to: C, ctx: HandlerCtx): Effects<S>;
  /**
   * Called once for each server when it comes into being: at tick -1 for the scenario's
   * servers (a timer with delay 1 fires at tick 0), or at the tick of the `configure` that
   * added it. Periodic work (gossip rounds, projection pulls) starts here. Optional.
   */
  onStart?(state: S, config: C, ctx: HandlerCtx): Effects<S>;
  /**
   * Other servers that can serve `op` when the agent's failure detector suspects `current`
   * (its fallback `retry-other`), best first. Absent or empty: none can (the operation fails).
   */
  alternatives?(config: C, agent: string, op: string, args: { [k: string]: JsonValue }, current: string): string[];
  /**
   * The links the diagram draws and lets a user cut, as unordered pairs of node ids
   * (agent–server and server–server). Absent: every agent with every server.
   */
  links?(config: C, agents: readonly string[]): [string, string][];
  /**
   * A server at a glance, for the diagram and the Inspect panel: its role ("log",
   * "projection", "shard", "replica"), a short detail under its name ("v12 · lag 3"), the
   * version it is at (or null), and a few labelled facts. Plain text, bounded. `ctx` reads its
   * neighbours (a projection says how far behind the log it is, and why). Optional.
   */
  summary?(state: S, config: C, ctx: SummaryCtx<S>): ServerSummary;
  /**
   * What each server that should hold a key holds of it: key → server id → the value a read
   * there would see (null: absent or deleted). Every key any server holds; servers that hold
   * no data (a coordinator) are left out. The comparison's divergence and convergence
   * measures read it (src/sim/compare). Reads only; never changes a state. Optional.
   */
  holdings?(servers: readonly { id: string; state: S }[], config: C): Holdings;
  /**
   * Freezes the parts of a server's state that can no longer change (as the handlers do when
   * they write them), for a world that lost its frozen marks on the way (a worker's message).
   */
  settle(state: S): void;
  /**
   * What a configuration's schema cannot say because it needs the scenario's network (a
   * gossip period shorter than the link latency): a message, or null. Optional.
   */
  checkConfig?(config: C, network: NetworkConfig): string | null;
  /**
   * What operation `op` does under this configuration, in a sentence for the form that issues
   * it, where that depends on the configuration (a naive multi-key update is not atomic).
   * Absent or null: the operation's `description` says it. Optional.
   */
  opHint?(op: string, config: C): string | null;
  /**
   * Whose operation a server's own message serves (a coordinator's request to a shard, for an
   * agent's write): when the message is dropped, that operation's timeout can say why (the
   * shard behind the coordinator was down). Null: no agent's. Optional.
   */
  onBehalfOf?(state: S, payload: unknown): { agent: string; opId: number } | null;
  /** Validates an agent's request arguments before it is sent; a message means "rejected". */
  checkArgs(op: string, args: { [k: string]: JsonValue }): string | null;
}
