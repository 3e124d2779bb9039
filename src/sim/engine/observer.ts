import type { DroppedMessage } from '../net/network';
import type { Action } from '../scenario/schema';
import type { Message } from './types';

/**
 * What `advance` can tell an onlooker, as it happens: every message sent (a duplicate copy
 * is sent too, with `duplicate: true`), delivered or dropped, and every action applied.
 * Callbacks must not change the world or the message: they see the engine's own objects.
 * Drops at send time (a cut link, loss) follow the send of the same message at once.
 */
export interface EngineObserver {
  send?(m: Readonly<Message>): void;
  deliver?(m: Readonly<Message>, tick: number): void;
  drop?(m: Readonly<Message>, why: DroppedMessage['why'], tick: number): void;
  /** `error`: why the action could not apply (it is kept in the log all the same). */
  action?(a: Readonly<Action>, index: number, error: string | null, tick: number): void;
}
